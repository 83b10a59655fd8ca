"""Writes the held-out set's audio as 16-bit WAV files, from the data `recipe.py synth` made.

The shipped frames (`sets/synth-heldout/frames/*.npy`) were computed from this audio, which is not
shipped (12 minutes). Regenerate it, then write it out:
    TINY_EOU_WORK=/tmp/tiny-work /usr/bin/python3 recipe.py synth --n-train 1 --n-dev 1 --n-test 250
    TINY_EOU_WORK=/tmp/tiny-work /usr/bin/python3 heldout-audio.py OUT_DIR
flite audio regenerates bit for bit; espeak-ng audio differs by a few LSB (README, "Determinism").
OUT_DIR gets `<id>.wav` and `voices.json` (id -> voice). `@eou/frontend`'s held-out tests read OUT_DIR
from EOU_TINY_HELDOUT_AUDIO; a few flite clips are committed as FLAC under
packages/frontend/test/fixtures/heldout/.
"""
import json
import os
import sys
import wave

import numpy as np

WORK = os.environ.get("TINY_EOU_WORK", "/work/scratch-tiny-eou")
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
d = np.load(os.path.join(WORK, "data", "test.npz"))
meta = json.load(open(os.path.join(WORK, "data", "test.json")))
voices = {}
for i, m in enumerate(meta):
    audio = d["audio"][d["offs"][i]:d["offs"][i + 1]]
    with wave.open(os.path.join(out, m["id"] + ".wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(audio.astype("<i2").tobytes())
    voices[m["id"]] = "%s:%s" % (m["engine"], m["voice"])
with open(os.path.join(out, "voices.json"), "w") as f:
    json.dump(voices, f, indent=0)
print("%d files in %s" % (len(meta), out))
