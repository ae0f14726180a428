#!/usr/bin/env bash
# Rebuilds the character-level language-model corpus (src/main/resources/dev/kiln/text/kiln-sources.txt)
# from Kiln's own committed text at one commit: the README, docs/, and the main Java sources of
# kiln-graph, kiln-autodiff, kiln-nn and kiln-train. Each file is preceded by a line "==> path <==".
# The corpus is committed so that training data never changes when the repository does.
# Usage: modules/kiln-text/corpus/make-corpus.sh COMMIT
set -euo pipefail
commit="${1:?usage: make-corpus.sh COMMIT}"
root="$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)"
out="$root/modules/kiln-text/src/main/resources/dev/kiln/text/kiln-sources.txt"
tmp="$(mktemp)"
git -C "$root" ls-tree -r --name-only "$commit" -- README.md docs modules/kiln-graph/src/main \
    modules/kiln-autodiff/src/main modules/kiln-nn/src/main modules/kiln-train/src/main \
  | grep -E '\.(md|java)$' | LC_ALL=C sort | while read -r f; do
    printf '==> %s <==\n' "$f"
    git -C "$root" show "$commit:$f"
    printf '\n'
  done > "$tmp"
mv "$tmp" "$out"
printf 'commit %s\n' "$commit" > "$(dirname "$out")/kiln-sources.commit"
wc -c "$out"
