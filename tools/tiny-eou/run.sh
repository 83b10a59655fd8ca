#!/bin/sh
# Full tiny-eou recipe, from nothing to the shipped model + test sets (~60 min on 2 CPU cores).
# Not run by CI. See README.md. Scratch (audio, features, checkpoints) goes to $TINY_EOU_WORK.
set -eu
cd "$(dirname "$0")"
export TINY_EOU_WORK="${TINY_EOU_WORK:-/work/scratch-tiny-eou}"
PY=/usr/bin/python3          # Debian's interpreter: it sees python3-torch / -torchaudio / -onnx
mkdir -p "$TINY_EOU_WORK"
$PY recipe.py synth                                   # ~3 min: 12000 train + 300 dev + 250 held-out utterances
$PY recipe.py features                                # ~20 s
$PY recipe.py golden                                  # golden/*.json feature values for the TypeScript port
$PY recipe.py train --max-minutes 52 --fresh 2>&1 | tee "$TINY_EOU_WORK/train.out"
$PY recipe.py export                                  # ../../apps/cli/assets/tiny-eou/model/
$PY recipe.py testsets                                # ../../apps/cli/assets/tiny-eou/sets/ + WER / EOU latency
$PY recipe.py card                                    # model card README.md
if [ -d ../../node_modules/onnxruntime-node ]; then node verify-onnx.mjs; fi
