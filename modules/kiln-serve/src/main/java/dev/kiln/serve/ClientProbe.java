package dev.kiln.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * Notices an HTTP/1.1 client that closed its connection while its request waits or runs.
 *
 * <p>Jetty reads a connection's socket only while it wants the next request, so a close that arrives
 * while a request is handled stays unread and {@link EndPoint#isOpen()} keeps saying true. The probe
 * asks the operating system instead, without reading: the socket's channel is registered with a
 * selector of the probe's own for one non-blocking select. A socket that is readable but holds no
 * bytes is at end of stream (the client closed it, or reset it); one that holds bytes has a pipelined
 * next request and counts as connected. Jetty's own selector keeps its registration untouched, as a
 * channel may be registered with several selectors.
 */
final class ClientProbe {

  private final Selector selector;

  ClientProbe() {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the selector that notices closed clients", e);
    }
  }

  /** Whether the client behind {@code endPoint} has closed its side of the connection. */
  boolean closed(EndPoint endPoint) {
    if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
      return true;
    }
    if (!(endPoint instanceof SocketChannelEndPoint socket)) {
      return false;
    }
    SocketChannel channel = socket.getChannel();
    synchronized (selector) {
      if (!selector.isOpen()) {
        return false; // the server is stopping; the answer decides nothing now
      }
      SelectionKey key;
      try {
        key = channel.register(selector, SelectionKey.OP_READ);
      } catch (ClosedChannelException e) {
        return true;
      }
      try {
        selector.selectNow();
        if (!key.isValid() || !key.isReadable()) {
          return !key.isValid();
        }
        return channel.socket().getInputStream().available() == 0;
      } catch (IOException e) {
        return true;
      } finally {
        key.cancel();
        flush();
      }
    }
  }

  /** A cancelled key leaves the selector at its next select; the channel may then register again. */
  private void flush() {
    try {
      selector.selectNow();
    } catch (IOException e) {
      // the selector itself failed; the next register reports it
    }
  }

  void close() {
    try {
      synchronized (selector) {
        selector.close();
      }
    } catch (IOException e) {
      // closing
    }
  }
}
