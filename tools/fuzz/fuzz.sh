#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers with Jazzer, one @FuzzTest at a time (Jazzer fuzzes one
# method per run); each runs for its @FuzzTest maxDuration. Plain `mvn test` only replays the seeds
# in src/test/resources/<package>/<Class>Inputs/<method>/ plus bounded mutations of them.
#
#   tools/fuzz/fuzz.sh                      every target
#   tools/fuzz/fuzz.sh IdxReaderFuzzTest#idxFile
#
# A finding fails the run; Jazzer prints where it saved the crashing input. Fix the bug and copy
# the input into the seed directory as finding-<what> so every mvn test replays it. The growing
# corpus goes to .cifuzz-corpus/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(
    IdxReaderFuzzTest#idxFile
    KerasConfigFuzzTest#modelConfig
    KerasFilesFuzzTest#kerasArchive
    KerasFilesFuzzTest#legacyH5
    SavedModelGuardFuzzTest#savedModelPb
    ImageDecoderFuzzTest#imageBytes
    TfServingCodecFuzzTest#predictBody
  )
fi
for t in "${targets[@]}"; do
  echo "== fuzzing $t"
  JAZZER_FUZZ=1 mvn -B -q test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false
done
