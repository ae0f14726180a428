package dev.kiln.cli;

import picocli.CommandLine.Command;

/** {@code kiln zoo}: the shipped models, their cards, and the commands that check them. */
@Command(name = "zoo", mixinStandardHelpOptions = true,
    description = {"The model zoo: one folder per model with its recipe, its card (README.md and card.json), the",
        "exported model and a SHA256SUMS manifest. `verify` checks the hashes and re-runs each card's evaluation;",
        "`reproduce` retrains a model from its recipe and compares the weights with the shipped ones;",
        "`publish` exports a trained run into a folder, measures it and writes the card's numbers and the manifest.",
        "Zoo commands run ONNX Runtime on one thread unless --threads says otherwise, so numbers repeat bit for bit."},
    subcommands = {ZooListCommand.class, ZooShowCommand.class, ZooVerifyCommand.class, ZooReproduceCommand.class,
        ZooPublishCommand.class})
final class ZooCommand {}
