#!/bin/sh
# Full tiny-eou recipe, from nothing to the shipped model + test sets (~45 min on 2 idle CPU cores).
# Not run by CI. See README.md. Scratch (audio, features, checkpoints) goes to $TINY_EOU_WORK.
# SEEDS="2 3" ./run.sh also trains those seeds (same data) and adds their WER to the model card.
set -eu
cd "$(dirname "$0")"
export TINY_EOU_WORK="${TINY_EOU_WORK:-/work/scratch-tiny-eou}"
PY=/usr/bin/python3          # Debian's interpreter: it sees python3-torch / -torchaudio / -onnx
mkdir -p "$TINY_EOU_WORK"
$PY recipe.py synth                                   # ~4 min: 12000 train + 300 dev + 250 held-out utterances
$PY recipe.py features                                # ~40 s
$PY recipe.py golden                                  # golden/*.json feature values for the TypeScript port
$PY recipe.py train --fresh --max-minutes 60 2>&1 | tee "$TINY_EOU_WORK/train.out"   # ~40 min, 11000 steps
$PY recipe.py export                                  # ../../packages/tiny-eou-model/model/
(cd ../.. && node --conditions=@eou/source --import tsx tools/tiny-eou/build-streaming-encoder.ts)   # encoder_streaming.onnx from encoder.onnx
$PY recipe.py testsets                                # ../../packages/tiny-eou-model/sets/ + WER / EOU latency
$PY recipe.py evalckpt --ckpt ckpt                    # WER of the shipped seed, for the seed table
for s in ${SEEDS:-}; do
  $PY recipe.py train --fresh --max-minutes 60 --seed "$s" --ckpt "ckpt-seed$s" 2>&1 | tee "$TINY_EOU_WORK/train-seed$s.out"
  $PY recipe.py evalckpt --ckpt "ckpt-seed$s"
done
$PY recipe.py card                                    # model card README.md + card.json
if [ -d ../../node_modules/onnxruntime-node ]; then node verify-onnx.mjs; fi
