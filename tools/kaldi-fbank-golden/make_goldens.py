"""Golden Kaldi fbank values for @eou/frontend, computed once with torchaudio.compliance.kaldi.fbank.

Run with Debian's interpreter (it sees python3-torchaudio; a pyenv python3 earlier on PATH does not):
    /usr/bin/python3 tools/kaldi-fbank-golden/make_goldens.py
Writes tools/kaldi-fbank-golden/*.json: input samples (float32 in [-1, 1]), the settings, and the
[frames, bins] features. Settings are sherpa-onnx's defaults (80 bins, 25 ms Povey window, 10 ms
shift, dither 0, snip_edges False, low 20 Hz, high -400), which were checked to match
sherpa-onnx's own front end exactly; one clip is repeated with snip_edges True.
"""
import json
import math
import os

import numpy as np
import torch
import torchaudio

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SR = 16000
SETTINGS = dict(num_mel_bins=80, frame_length=25.0, frame_shift=10.0, dither=0.0, snip_edges=False,
                low_freq=20.0, high_freq=-400.0, window_type="povey", sample_frequency=SR)


def clips():
    rng = np.random.default_rng(20261202)
    t = np.arange(4000) / SR
    yield "tone-4000", (0.4 * np.sin(2 * np.pi * 440 * t) + 0.05 * np.sin(2 * np.pi * 3100 * t)).astype(np.float32), {}
    yield "noise-1000", (0.1 * rng.standard_normal(1000)).astype(np.float32), {}
    yield "short-450", (0.2 * rng.standard_normal(450)).astype(np.float32), {}
    # Held-out synthetic speech already in the repository (the tiny-eou golden clip).
    speech = np.array(json.load(open(os.path.join(REPO, "tools", "tiny-eou", "golden", "speech-4800.json")))["samples"], np.float32)
    yield "speech-4800", speech, {}
    yield "speech-4800-snip", speech, {"snip_edges": True}


def main():
    print("torch", torch.__version__, "torchaudio", torchaudio.__version__)
    for name, x, extra in clips():
        settings = dict(SETTINGS, **extra)
        f = torchaudio.compliance.kaldi.fbank(torch.tensor(x)[None], **settings).numpy()
        out = {
            "name": name,
            "made_by": "tools/kaldi-fbank-golden/make_goldens.py (torchaudio %s compliance.kaldi.fbank)" % torchaudio.__version__,
            "settings": settings,
            "samples": [float("%.9g" % v) for v in x.tolist()],
            "shape": list(f.shape),
            "features": [[float("%.7g" % v) for v in row] for row in f.tolist()],
        }
        with open(os.path.join(HERE, name + ".json"), "w") as fo:
            json.dump(out, fo, separators=(",", ":"))
        print(name, f.shape, float(f.mean()))


if __name__ == "__main__":
    main()
