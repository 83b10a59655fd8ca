#!/usr/bin/python3
"""Tiny streaming EOU transducer: the whole recipe in one file.

Run with Debian's own interpreter (/usr/bin/python3), which sees python3-torch,
python3-torchaudio and python3-onnx. Subcommands (run in this order, or use run.sh):

  synth     synthesise train/dev/held-out speech with espeak-ng + flite, sox tempo,
            numpy noise / gain / telephone-band augmentation      -> $WORK/data/*.npz
  features  log-mel features (seed recipe, see logmel())          -> $WORK/feats/*.npz
  golden    golden feature values for a TypeScript port           -> golden/*.json
  train     CTC pre-training of the encoder, then RNN-T (torchaudio rnnt_loss) + CTC
            (--seed, --ckpt NAME for other seeds), checkpoints    -> $WORK/ckpt/
  export    encoder.onnx (torch.onnx), decoder.onnx + joint_decision.onnx (onnx.helper,
            canonical layout of docs/onnx-layout.md), vocab.json, model.json
  testsets  cached encoder frames + manifest.jsonl for synth-heldout, asterisk, librivox,
            WER / EOU latency from a numpy greedy decode of the exported fp16 weights
  evalckpt  WER of a checkpoint on the three test sets (seed table)  -> $WORK/eval-<ckpt>.json
  card      model card README.md + card.json with the measured numbers

$WORK defaults to /work/scratch-tiny-eou (never inside the repository).
"""
import argparse
import glob
import gzip
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import wave

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
WORK = os.environ.get("TINY_EOU_WORK", "/work/scratch-tiny-eou")
ASSETS = os.environ.get("TINY_EOU_ASSETS", os.path.join(REPO, "packages", "tiny-eou-model"))
SEED = 20261124
SR = 16000

# ----------------------------------------------------------------------------- vocabulary
LETTERS = "abcdefghijklmnopqrstuvwxyz"
CHAR_PIECES = ["\u2581" + c for c in LETTERS] + list(LETTERS) + ["'"]
N_WORDS = 300                 # whole-word pieces: the most frequent words of the training texts
PIECES = list(CHAR_PIECES)    # set by set_vocab(): whole-word pieces then the 53 character pieces
N_TEXT = EOU_ID = EOB_ID = BLANK_ID = V = 0
PIECE_ID = {}


def set_vocab(pieces):
    """Text pieces first, then <EOU>, <EOB>, blank (last)."""
    global PIECES, N_TEXT, EOU_ID, EOB_ID, BLANK_ID, V, PIECE_ID
    PIECES = list(pieces)
    N_TEXT = len(PIECES)
    EOU_ID, EOB_ID, BLANK_ID, V = N_TEXT, N_TEXT + 1, N_TEXT + 2, N_TEXT + 3
    PIECE_ID = {p: i for i, p in enumerate(PIECES)}


def build_vocab(texts):
    """Whole-word pieces "\u2581word" for the N_WORDS most frequent words (ties by spelling), then characters.
    Character-only vocabularies need ~1.5-2 symbols per 80 ms frame on this fast TTS speech, which the
    transducer learnt very slowly; whole words bring it to ~0.4."""
    from collections import Counter
    cnt = Counter(w for t in texts for w in t.split())
    words = sorted((w for w in cnt if len(w) > 1), key=lambda w: (-cnt[w], w))[:N_WORDS]
    return ["\u2581" + w for w in sorted(words)] + CHAR_PIECES


def load_vocab():
    path = os.path.join(WORK, "pieces.json")
    if os.path.exists(path):
        set_vocab(json.load(open(path, encoding="utf-8")))
    else:
        set_vocab(CHAR_PIECES)


def encode_text(text):
    ids = []
    for w in text.split():
        if "\u2581" + w in PIECE_ID:
            ids.append(PIECE_ID["\u2581" + w])
            continue
        for k, ch in enumerate(w):
            if ch not in LETTERS and ch != "'":
                raise ValueError("bad char %r in %r" % (ch, text))
            ids.append(PIECE_ID[("\u2581" + ch) if (k == 0 and ch != "'") else ch])
    return ids


def decode_ids(ids):
    s = "".join(PIECES[i] for i in ids if i < N_TEXT)
    return " ".join(s.replace("\u2581", " ").split())


# ----------------------------------------------------------------------------- text normalisation
ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def num_words(n):
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        return ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + num_words(n % 100))
    if n < 10000 and n % 100 == 0:
        return num_words(n // 100) + " hundred"
    return " ".join(ONES[int(d)] for d in str(n))


def normalise(text):
    """lowercase, numbers spelled out, * -> star, # -> pound, punctuation stripped."""
    t = text.lower().replace("*", " star ").replace("#", " pound ").replace("&", " and ")
    t = re.sub(r"(\d+)\.(\d+)", lambda m: m.group(1) + " point " + " ".join(m.group(2)), t)
    t = re.sub(r"(\d+)(st|nd|rd|th)\b", lambda m: m.group(1), t)
    t = re.sub(r"\d+", lambda m: " " + num_words(int(m.group(0))) + " ", t)
    t = t.replace("-", " ").replace("/", " ")
    t = re.sub(r"[^a-z' ]", " ", t)
    t = re.sub(r"(^| )'+|'+( |$)", " ", t)
    return " ".join(t.split())


def asterisk_transcripts():
    """{name: raw text} from the asterisk-core-sounds-en transcript list."""
    out = {}
    with gzip.open("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz", "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(";") or ":" not in line:
                continue
            name, text = line.split(":", 1)
            out[name.strip()] = text.strip()
    return out


# ----------------------------------------------------------------------------- text domain
DIG = ONES[:10]
RANKS = "ace two three four five six seven eight nine ten jack queen king".split()
SUITS = "clubs diamonds hearts spades".split()
NATO = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey x-ray yankee zulu".replace("x-ray", "xray").split()
COMMANDS = ["go forward", "go back", "turn left", "turn right", "stop", "start", "cancel", "repeat", "yes", "no",
            "help", "main menu", "operator", "next", "previous", "pause", "continue", "call home", "call the office",
            "hang up", "play messages", "delete message", "save message", "skip", "go to sleep", "wake up",
            "open the door", "close the door", "lights on", "lights off", "volume up", "volume down", "transfer me",
            "speak to an agent", "check my balance", "pay my bill", "reset my password", "that's right", "that's wrong"]
UNITS = ["meters", "steps", "seconds", "minutes", "feet", "degrees"]
PROMPTS = [
    "please enter your account number followed by the pound key",
    "please enter your pin followed by the pound key",
    "please say or enter your extension",
    "you have {n} new messages", "you have {n} saved messages", "you have one new message",
    "your call is important to us", "please hold while we connect your call",
    "the number you have dialed is not in service", "please check the number and dial again",
    "thank you for calling", "goodbye", "thank you", "please try again later",
    "to repeat this menu press {d}", "for sales press {d}", "for support press {d}",
    "to speak with an operator press zero", "press star to return to the main menu",
    "the time is {n} {m}", "your balance is {n} dollars and {m} cents",
    "your confirmation number is {digits}", "please say the name of the person you are calling",
    "i didn't understand that", "sorry i didn't catch that", "did you say {card}",
    "the party you are calling is not available", "please leave a message after the tone",
    "to record your greeting press {d}", "you are caller number {n}", "the conference is locked",
    "you are now muted", "you are now unmuted", "there are {n} participants in this conference",
    "enter the extension followed by pound", "invalid extension", "that is not a valid option",
]


def rand_text(rng, ast_sentences):
    r = rng.random()
    if r < 0.35:
        return rng.choice(ast_sentences)
    if r < 0.45:
        return " ".join(rng.choice(DIG) for _ in range(rng.randint(1, 8)))
    if r < 0.52:
        return " ".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 5)))
    if r < 0.57:
        return " ".join(rng.choice(NATO) for _ in range(rng.randint(1, 4)))
    if r < 0.67:
        return " ".join(rng.choice(RANKS) + " of " + rng.choice(SUITS) for _ in range(rng.randint(1, 3)))
    if r < 0.77:
        c = rng.choice(COMMANDS)
        if c.startswith("go") or c.startswith("turn"):
            if rng.random() < 0.6:
                c += " " + num_words(rng.randint(1, 30)) + " " + rng.choice(UNITS)
        return c
    p = rng.choice(PROMPTS)
    return normalise(p.format(n=rng.randint(1, 99), m=rng.randint(0, 59), d=rng.choice(DIG),
                              digits=" ".join(rng.choice(DIG) for _ in range(rng.randint(3, 7))),
                              card=rng.choice(RANKS) + " of " + rng.choice(SUITS)))


def asterisk_sentences():
    out = []
    for name, text in sorted(asterisk_transcripts().items()):
        if text.startswith("["):
            continue
        for s in re.split(r"(?<=[.!?;])\s+", text):
            s = normalise(s)
            if s and len(s.split()) <= 25:
                out.append(s)
    return sorted(set(out))


# ----------------------------------------------------------------------------- voices
ACCENTS = ["en", "en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-029"]
ESPEAK_TRAIN = ["m1", "m2", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3", "f5", "klatt", "klatt2", "klatt4",
                "Alicia", "Andy", "Annie", "aunty", "belinda", "benjamin", "david", "ed", "john", "Lee", "max",
                "Michael", "Mike", "rob", "steph", "norbert", "travis", "shelby"]
ESPEAK_TEST = ["m3", "f4", "linda", "paul", "klatt3"]
FLITE_TRAIN = ["kal16", "awb", "slt", "kal"]
FLITE_TEST = ["rms"]


def read_wav(path):
    with wave.open(path, "rb") as w:
        n, ch, sw, sr = w.getnframes(), w.getnchannels(), w.getsampwidth(), w.getframerate()
        raw = w.readframes(n)
    assert sw == 2, path
    x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if ch > 1:
        x = x.reshape(-1, ch).mean(1)
    return x, sr


def to16k(path, out, tempo=None):
    cmd = ["sox", path, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", out]
    if tempo is not None and abs(tempo - 1.0) > 1e-3:
        cmd += ["tempo", "-s", "%.3f" % tempo]
    cmd += ["rate", "-v", "16000"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    x, sr = read_wav(out)
    assert sr == SR
    return x


def speech_bounds(x, thr_db=-45.0):
    """first/last sample of speech: 10 ms frames above max-energy + thr_db."""
    n = len(x) // 160
    if n == 0:
        return 0, len(x)
    e = 10 * np.log10(np.mean(x[: n * 160].reshape(n, 160) ** 2, axis=1) + 1e-12)
    on = np.nonzero(e > e.max() + thr_db)[0]
    if len(on) == 0:
        return 0, len(x)
    return int(on[0] * 160), int(min(len(x), (on[-1] + 1) * 160))


def synth_one(job):
    """job: dict(engine, voice, accent, text, speed, pitch, tempo, aug, seed) -> dict with audio."""
    rng = np.random.default_rng(job["seed"])
    with tempfile.TemporaryDirectory(dir=os.path.join(WORK, "tmp")) as td:
        raw = os.path.join(td, "a.wav")
        if job["engine"] == "espeak":
            subprocess.run(["espeak-ng", "-v", "%s+%s" % (job["accent"], job["voice"]), "-s", str(job["speed"]),
                            "-p", str(job["pitch"]), "-w", raw, job["text"]], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            subprocess.run(["flite", "-voice", job["voice"], "--setf", "duration_stretch=%.3f" % job["stretch"],
                            "--setf", "int_f0_target_mean=%d" % job["f0"], "-t", job["text"], "-o", raw],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        x = to16k(raw, os.path.join(td, "b.wav"), job.get("tempo"))
    s, e = speech_bounds(x)
    x = x[s:e]
    pk = np.abs(x).max() + 1e-9
    x = x / pk * 10 ** (job["gain_db"] / 20.0)
    lead = int(job["lead"] * SR)
    tail = int(job["tail"] * SR)
    y = np.concatenate([np.zeros(lead, np.float32), x, np.zeros(tail, np.float32)]).astype(np.float64)
    aug = job["aug"]
    if aug.get("band"):
        Y = np.fft.rfft(y)
        f = np.fft.rfftfreq(len(y), 1.0 / SR)
        Y *= np.clip((3800.0 - f) / 300.0, 0.0, 1.0) * np.clip((f - 200.0) / 100.0 + 0.0, 0.0, 1.0)
        y = np.fft.irfft(Y, n=len(y))
    sig_p = np.mean(x.astype(np.float64) ** 2) + 1e-12
    snr = aug.get("snr", 60.0)
    noise = rng.standard_normal(len(y))
    if aug.get("brown"):
        noise = np.cumsum(noise)
        noise -= np.convolve(noise, np.ones(400) / 400, mode="same")
    noise *= math.sqrt(sig_p / (np.mean(noise ** 2) + 1e-12) / 10 ** (snr / 10.0))
    y = np.clip(y + noise, -1.0, 1.0)
    return {"audio": (y * 32767).astype(np.int16), "speech_start": lead, "speech_end": lead + len(x)}


def make_jobs(split, n, rng, sentences):
    jobs = []
    for i in range(n):
        if split == "test":
            flite = rng.random() < 0.25
            voice = rng.choice(FLITE_TEST if flite else ESPEAK_TEST)
        else:
            flite = rng.random() < 0.3
            voice = rng.choice(FLITE_TRAIN if flite else ESPEAK_TRAIN)
        train = split == "train"
        aug = {}
        if train:
            if rng.random() < 0.3:
                aug["band"] = True
            aug["snr"] = rng.uniform(8, 40) if rng.random() < 0.7 else 60.0
            aug["brown"] = rng.random() < 0.4
        else:
            aug["snr"] = 50.0
        job = {"id": "%s-%05d" % (split, i), "engine": "flite" if flite else "espeak", "voice": voice,
               "accent": rng.choice(ACCENTS), "text": rand_text(rng, sentences),
               "speed": rng.randint(130, 200), "pitch": rng.randint(25, 75),
               "stretch": rng.uniform(0.85, 1.2), "f0": rng.randint(85, 200) if voice != "slt" else rng.randint(150, 230),
               "tempo": rng.uniform(0.85, 1.2) if (train and rng.random() < 0.5) else None,
               "gain_db": rng.uniform(-20, -1) if train else rng.uniform(-8, -2),
               "lead": rng.uniform(0.05, 0.5), "tail": rng.uniform(0.9, 1.4),
               "aug": aug, "seed": rng.randint(0, 2 ** 31)}
        jobs.append(job)
    return jobs


def cmd_synth(a):
    from multiprocessing import Pool
    os.makedirs(os.path.join(WORK, "data"), exist_ok=True)
    os.makedirs(os.path.join(WORK, "tmp"), exist_ok=True)
    sentences = asterisk_sentences()
    for split, n in (("train", a.n_train), ("dev", a.n_dev), ("test", a.n_test)):
        rng = random.Random("%d-%s" % (SEED, split))
        jobs = make_jobs(split, n, rng, sentences)
        t0 = time.time()
        with Pool(a.jobs) as pool:
            res = pool.map(synth_one, jobs, chunksize=8)
        audio = np.concatenate([r["audio"] for r in res])
        offs = np.cumsum([0] + [len(r["audio"]) for r in res])
        meta = []
        for j, r in zip(jobs, res):
            m = {k: j[k] for k in ("id", "engine", "voice", "accent", "text", "speed", "pitch", "tempo", "aug")}
            m.update(speech_start=r["speech_start"], speech_end=r["speech_end"], n=len(r["audio"]))
            meta.append(m)
        np.savez(os.path.join(WORK, "data", split + ".npz"), audio=audio, offs=offs)
        with open(os.path.join(WORK, "data", split + ".json"), "w") as f:
            json.dump(meta, f)
        print("%s: %d utts, %.1f min audio, %.0f s" % (split, n, len(audio) / SR / 60, time.time() - t0), flush=True)
        if split == "train":
            with open(os.path.join(WORK, "pieces.json"), "w", encoding="utf-8") as f:
                json.dump(build_vocab([m["text"] for m in meta]), f, ensure_ascii=False)


# ----------------------------------------------------------------------------- features
def slaney_hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mel = f / f_sp
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, math.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, mel)


def slaney_mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, math.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filterbank(sr=16000, n_fft=512, n_mels=128, fmin=0.0, fmax=8000.0):
    """[n_mels, n_fft//2+1] Slaney-scale triangles with Slaney area normalisation (librosa default)."""
    fft_f = np.linspace(0, sr / 2, n_fft // 2 + 1)
    mel_f = slaney_mel_to_hz(np.linspace(slaney_hz_to_mel(fmin), slaney_hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_f[None, :]
    w = np.zeros((n_mels, len(fft_f)))
    for i in range(n_mels):
        w[i] = np.maximum(0, np.minimum(-ramps[i] / fdiff[i], ramps[i + 2] / fdiff[i + 1]))
    w *= (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, None]
    return w


_FB = None
_WIN = None


def logmel(x):
    """x: float samples in [-1, 1] at 16 kHz -> [128, T] float32 log-mel (seed recipe §1.3)."""
    global _FB, _WIN
    if _FB is None:
        _FB = mel_filterbank().astype(np.float64)
        n = np.arange(400)
        _WIN = np.zeros(512)
        _WIN[56:456] = 0.5 * (1 - np.cos(2 * np.pi * n / 399))
    x = np.asarray(x, dtype=np.float64)
    L = len(x)
    y = np.empty_like(x)
    if L:
        y[0] = x[0]
        y[1:] = x[1:] - 0.97 * x[:-1]
    T = 1 + (L + 512 - 400) // 160
    need = (T - 1) * 160 + 512
    p = np.zeros(max(need, L + 512))
    p[256:256 + L] = y
    idx = np.arange(T)[:, None] * 160 + np.arange(512)[None, :]
    spec = np.fft.rfft(p[idx] * _WIN[None, :], axis=1)
    power = spec.real ** 2 + spec.imag ** 2
    mel = power @ _FB.T
    return np.log(mel + 2.0 ** -24).T.astype(np.float32)


_AUDIO = None


def _feat_init(path):
    global _AUDIO
    _AUDIO = np.load(path)["audio"]


def _feat_job(args):
    i0, i1 = args
    return logmel(_AUDIO[i0:i1].astype(np.float32) / 32768.0)


def cmd_features(a):
    from multiprocessing import Pool
    os.makedirs(os.path.join(WORK, "feats"), exist_ok=True)
    for split in ("train", "dev", "test"):
        path = os.path.join(WORK, "data", split + ".npz")
        offs = np.load(path)["offs"]
        t0 = time.time()
        with Pool(a.jobs, initializer=_feat_init, initargs=(path,)) as pool:
            feats = pool.map(_feat_job, [(int(offs[i]), int(offs[i + 1])) for i in range(len(offs) - 1)], chunksize=16)
        lens = np.array([f.shape[1] for f in feats])
        fo = np.concatenate([[0], np.cumsum(lens)])
        allf = np.concatenate([f.T for f in feats]).astype(np.float16)   # [sum T, 128]
        np.savez(os.path.join(WORK, "feats", split + ".npz"), feats=allf, offs=fo)
        print("%s: %d frames, %.0f s" % (split, fo[-1], time.time() - t0), flush=True)


def cmd_golden(a):
    os.makedirs(os.path.join(HERE, "golden"), exist_ok=True)
    clips = []
    rng = np.random.default_rng(SEED)
    t = np.arange(2560) / SR
    clips.append(("tone-2560", (0.5 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 3000 * t)).astype(np.float32)))
    clips.append(("noise-1000", (0.1 * rng.standard_normal(1000)).astype(np.float32)))
    d = np.load(os.path.join(WORK, "data", "test.npz"))
    meta = json.load(open(os.path.join(WORK, "data", "test.json")))
    s = int(d["offs"][0]) + meta[0]["speech_start"]
    clips.append(("speech-4800", (d["audio"][s:s + 4800].astype(np.float32) / 32768.0)))
    for name, x in clips:
        f = logmel(x)
        out = {"name": name, "sampleRate": SR, "recipe": "seed §1.3 log-mel: n_fft 512, symmetric Hann 400 at offset 56, hop 160, "
               "128 Slaney mels (area norm, 0-8000 Hz), preemphasis 0.97 (y[0]=x[0]), centre pad 256, power, log(mel+2^-24)",
               "samples": [float("%.8g" % v) for v in x.tolist()], "shape": list(f.shape),
               "features": [[float("%.6g" % v) for v in row] for row in f.tolist()]}
        with open(os.path.join(HERE, "golden", name + ".json"), "w") as fo:
            json.dump(out, fo, separators=(",", ":"))
        print(name, f.shape, float(f.mean()))


# ----------------------------------------------------------------------------- model
FEAT_FLOOR = -10.0   # log-mel floor applied inside the encoder (see Encoder.forward)


def build_model(E, H, J, C, blocks, kernel):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Encoder(nn.Module):
        """Causal: stack 8 log-mel frames (80 ms) -> Linear -> LayerNorm -> ReLU, then `blocks` residual
        causal Conv1d (left padding only) -> LayerNorm -> ReLU, then Linear to E. Receptive field
        1 + blocks * (kernel - 1) output frames of history (2 s with 6 x 5).
        The first recipe used strided convs + a 2-layer LSTM; its CTC loss stayed at the unigram level for
        thousands of steps (the conv activations grew to ~300 and the LSTM learnt nothing useful), and the
        transducer fell back to emitting a frequent prompt at frame 0. This stack learns in minutes."""

        def __init__(self):
            super().__init__()
            self.register_buffer("mean", torch.zeros(1, 128, 1))
            self.register_buffer("istd", torch.ones(1, 128, 1))
            self.kernel = kernel
            self.inp = nn.Linear(128 * 8, C)
            self.inp_norm = nn.LayerNorm(C)
            self.convs = nn.ModuleList([nn.Conv1d(C, C, kernel) for _ in range(blocks)])
            self.norms = nn.ModuleList([nn.LayerNorm(C) for _ in range(blocks)])
            self.drop = nn.Dropout(0.1)
            self.out = nn.Linear(C, E)

        def forward(self, x):            # x [B,128,T] log-mel -> [B,ceil(T/8),E]
            # digital silence gives log(2^-24) = -16.6, far below any recorded noise floor; the floor makes
            # TTS silence look like a quiet room and keeps the per-bin statistics unimodal
            x = (x.clamp(min=FEAT_FLOOR) - self.mean) * self.istd
            B, D, T = x.shape
            T8 = (T + 7) // 8
            x = F.pad(x, (0, T8 * 8 - T)).transpose(1, 2).reshape(B, T8, 8 * D)
            x = F.relu(self.inp_norm(self.inp(x)))
            for conv, norm in zip(self.convs, self.norms):
                h = conv(F.pad(x.transpose(1, 2), (self.kernel - 1, 0))).transpose(1, 2)
                x = x + self.drop(F.relu(norm(h)))
            return self.out(x)

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = Encoder()
            self.embed = nn.Embedding(V, H)
            self.pred = nn.LSTM(H, H, num_layers=1, batch_first=True)
            self.j_enc = nn.Linear(E, J)
            self.j_pred = nn.Linear(H, J)
            self.j_out = nn.Linear(J, V)
            self.ctc = nn.Linear(E, V)    # auxiliary CTC head (training only; blank = V-1), not exported

        def predictor(self, y):           # y [B,U+1] (blank first) -> [B,U+1,H]
            g, _ = self.pred(self.embed(y))
            return g

        def joint(self, f, g):            # f [B,T,E], g [B,U+1,H] -> [B,T,U+1,V]
            return self.j_out(torch.relu(self.j_enc(f).unsqueeze(2) + self.j_pred(g).unsqueeze(1)))

    return Model()


def out_len(T):
    for _ in range(3):
        T = (T + 1) // 2
    return T


def load_feats(split):
    d = np.load(os.path.join(WORK, "feats", split + ".npz"))
    meta = json.load(open(os.path.join(WORK, "data", split + ".json")))
    return d["feats"], d["offs"], meta


def greedy_torch(model, f, max_sym=2):
    """f: [T',E] torch encoder output of one utterance -> (token ids, frame per token)."""
    import torch
    H = model.embed.weight.shape[1]
    h = torch.zeros(1, 1, H)
    c = torch.zeros(1, 1, H)
    last = BLANK_ID
    g, (hn, cn) = model.pred(model.embed(torch.tensor([[last]])), (h, c))
    toks, frames = [], []
    fe = model.j_enc(f)
    for t in range(f.shape[0]):
        for _ in range(max_sym):
            k = int(model.j_out(torch.relu(fe[t] + model.j_pred(g[0, 0]))).argmax())
            if k == BLANK_ID:
                break
            toks.append(k)
            frames.append(t)
            h, c = hn, cn
            if k == EOU_ID:        # reset policy
                h = torch.zeros(1, 1, H)
                c = torch.zeros(1, 1, H)
                k = BLANK_ID
            g, (hn, cn) = model.pred(model.embed(torch.tensor([[k]])), (h, c))
            if toks[-1] == EOU_ID:
                break
    return toks, frames


def wer_counts(ref, hyp):
    r, h = ref.split(), hyp.split()
    d = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(h) + 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (r[i - 1] != h[j - 1]))
            prev, d[j] = d[j], cur
    return d[len(h)], len(r)


def cmd_train(a):
    import torch
    import torchaudio.functional as TAF
    torch.set_num_threads(2)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    ck = os.path.join(WORK, a.ckpt)
    os.makedirs(ck, exist_ok=True)
    feats, offs, meta = load_feats("train")
    dfeats, doffs, dmeta = load_feats("dev")
    n = len(meta)
    lens = np.diff(offs)
    targets = [encode_text(m["text"]) + [EOU_ID] for m in meta]
    # global normalisation constants (become fixed buffers inside the encoder)
    sub = np.maximum(feats[:: 7].astype(np.float32), FEAT_FLOOR)
    mean, std = sub.mean(0), sub.std(0) + 1e-3
    cfg = dict(E=a.E, H=a.H, J=a.J, C=a.C, blocks=a.blocks, kernel=a.kernel)
    model = build_model(**cfg)
    model.encoder.mean.copy_(torch.tensor(mean).view(1, 128, 1))
    model.encoder.istd.copy_(torch.tensor(1.0 / std).view(1, 128, 1))
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
    step, t_used = 0, 0.0
    last_ck = os.path.join(ck, "last.pt")
    if os.path.exists(last_ck) and not a.fresh:
        st = torch.load(last_ck)
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["opt"])
        step, t_used = st["step"], st["t_used"]
        rng = np.random.default_rng(a.seed + step)
        print("resumed at step %d (%.1f min)" % (step, t_used / 60), flush=True)

    # length-bucketed batches: total feature frames per batch <= a.batch_frames
    def batches():
        order = np.argsort(lens + rng.integers(0, 40, n))
        bs, cur, tot = [], [], 0
        for i in order:
            if cur and (tot + lens[i] > a.batch_frames or len(cur) >= 64):
                bs.append(cur)
                cur, tot = [], 0
            cur.append(int(i))
            tot += int(lens[i])
        if cur:
            bs.append(cur)
        rng.shuffle(bs)
        return bs

    def progress(s):
        # schedule progress: by steps, or by wall clock when --max-minutes is given (whichever is further),
        # so a slower (shared) machine still completes the cosine decay inside the time budget
        p = (s - a.warmup) / max(1, a.steps - a.warmup)
        if a.max_minutes:
            p = max(p, (time.time() - t_start) / (a.max_minutes * 60))
        return min(1.0, max(0.0, p))

    def lr_at(s):
        if s < a.warmup:
            return a.lr * (s + 1) / a.warmup
        return a.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress(s))))

    def dev_wer(limit=120):
        model.eval()
        E_, N_ = 0, 0
        with torch.no_grad():
            for i in range(min(limit, len(dmeta))):
                x = torch.tensor(dfeats[doffs[i]:doffs[i + 1]].astype(np.float32).T[None])
                f = model.encoder(x)[0]
                toks, _ = greedy_torch(model, f)
                e, w = wer_counts(dmeta[i]["text"], decode_ids(toks))
                E_ += e
                N_ += w
        model.train()
        return E_ / max(1, N_)

    log = open(os.path.join(WORK, "train.log"), "a")

    def say(s):
        print(s, flush=True)
        log.write(s + "\n")
        log.flush()

    say("config %s steps=%d ctc_steps=%d lr=%g batch_frames=%d params=%d seed=%d" % (
        cfg, a.steps, a.ctc_steps, a.lr, a.batch_frames, sum(p.numel() for p in model.parameters()), a.seed))
    model.train()
    t_start = time.time() - t_used
    t_ck = time.time()
    losses = []
    while step < a.steps:
        for b in batches():
            if step >= a.steps:
                break
            T = int(lens[b].max())
            x = np.zeros((len(b), 128, T), np.float32)
            for k, i in enumerate(b):
                x[k, :, : lens[i]] = feats[offs[i]:offs[i + 1]].T
            # SpecAugment-lite: 2 frequency masks, 2 short time masks
            for k in range(len(b)):
                for _ in range(2):
                    w = rng.integers(0, 16)
                    f0 = rng.integers(0, 128 - w)
                    x[k, f0:f0 + w, :] = mean[f0:f0 + w, None]
                if lens[b[k]] > 60:
                    for _ in range(2):
                        w = rng.integers(0, 12)
                        t0 = rng.integers(0, lens[b[k]] - w)
                        x[k, :, t0:t0 + w] = mean[:, None]
            U = max(len(targets[i]) for i in b)
            y = np.full((len(b), U), BLANK_ID, np.int64)
            for k, i in enumerate(b):
                y[k, : len(targets[i])] = targets[i]
            for g_ in opt.param_groups:
                g_["lr"] = lr_at(step)
            f = model.encoder(torch.tensor(x))
            flen = torch.tensor([out_len(int(lens[i])) for i in b], dtype=torch.int32)
            f = f[:, : int(flen.max())]
            ylen = torch.tensor([len(targets[i]) for i in b], dtype=torch.int32)
            lp = model.ctc(f).log_softmax(-1).transpose(0, 1)
            # CTC per utterance (sum over tokens), comparable in scale with the RNN-T loss
            ctc = torch.nn.functional.ctc_loss(lp, torch.tensor(y), flen.long(), ylen.long(), blank=BLANK_ID,
                                               reduction="sum", zero_infinity=True) / len(b)
            if step < a.ctc_steps:
                # phase 1: the encoder alone, with CTC. Training the transducer from a random encoder lets the
                # prediction net win: it learns the text prior and emits a frequent prompt at frame 0
                loss, shown = ctc, ctc
            else:
                yin = torch.cat([torch.full((len(b), 1), BLANK_ID, dtype=torch.long), torch.tensor(y)], 1)
                logits = model.joint(f, model.predictor(yin))
                rnnt = TAF.rnnt_loss(logits, torch.tensor(y, dtype=torch.int32), flen, ylen, blank=BLANK_ID,
                                     reduction="mean")
                loss, shown = rnnt + a.ctc_weight * ctc, rnnt
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            step += 1
            losses.append(float(shown))
            if step % 50 == 0:
                say("step %d %s loss %.3f lr %.2e elapsed %.1f min" % (
                    step, "ctc" if step <= a.ctc_steps else "rnnt", np.mean(losses[-50:]), lr_at(step),
                    (time.time() - t_start) / 60))
            if step % a.dev_every == 0 and step > a.ctc_steps:
                say("step %d dev WER %.4f" % (step, dev_wer()))
            if time.time() - t_ck > a.ckpt_minutes * 60 or step == a.steps:
                torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                            "t_used": time.time() - t_start, "cfg": cfg, "seed": a.seed, "ctc_steps": a.ctc_steps}, last_ck + ".tmp")
                os.replace(last_ck + ".tmp", last_ck)
                t_ck = time.time()
            if a.max_minutes and progress(step) >= 1.0 and step >= a.warmup:
                say("time budget reached at step %d" % step)
                a.steps = step
                break
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                "t_used": time.time() - t_start, "cfg": cfg, "seed": a.seed, "ctc_steps": a.ctc_steps}, last_ck)
    say("done: %d steps, %.1f min, final dev WER %.4f" % (step, (time.time() - t_start) / 60, dev_wer(300)))


def load_model(ckpt="ckpt"):
    import torch
    st = torch.load(os.path.join(WORK, ckpt, "last.pt"))
    model = build_model(**st["cfg"])
    model.load_state_dict(st["model"])
    model.eval()
    with torch.no_grad():
        # the exported encoder stores its weights in float16 (_store_fp16); round them here so that the frames
        # cached in the test sets are exactly what encoder.onnx computes
        for prm in model.encoder.parameters():
            prm.copy_(prm.half().float())
    return model, st


# ----------------------------------------------------------------------------- ONNX export
def _reorder_ifgo_to_iofc(w):
    i, f, g, o = np.split(w, 4, axis=0)
    return np.concatenate([i, o, f, g], axis=0)


def export_decoder(model, path, producer):
    import onnx
    from onnx import TensorProto as TP, helper as oh, numpy_helper as nh
    H = model.embed.weight.shape[1]
    emb = model.embed.weight.detach().numpy()
    W = _reorder_ifgo_to_iofc(model.pred.weight_ih_l0.detach().numpy())[None]
    R = _reorder_ifgo_to_iofc(model.pred.weight_hh_l0.detach().numpy())[None]
    B = np.concatenate([_reorder_ifgo_to_iofc(model.pred.bias_ih_l0.detach().numpy()),
                        _reorder_ifgo_to_iofc(model.pred.bias_hh_l0.detach().numpy())])[None]
    inits = [nh.from_array(emb.astype(np.float16), "embed.weight"), nh.from_array(W.astype(np.float16), "lstm.W"),
             nh.from_array(R.astype(np.float16), "lstm.R"), nh.from_array(B.astype(np.float16), "lstm.B"),
             nh.from_array(np.array([1], np.int64), "squeeze_axes")]
    F32, F16 = TP.FLOAT, TP.FLOAT16
    nodes = [oh.make_node("Cast", [n], [n + "_f32"], to=F32) for n in ("embed.weight", "lstm.W", "lstm.R", "lstm.B")]
    nodes += [
        oh.make_node("Gather", ["embed.weight_f32", "targets"], ["embedded"], axis=0),
        oh.make_node("Transpose", ["embedded"], ["lstm_in"], perm=[1, 0, 2]),
        oh.make_node("LSTM", ["lstm_in", "lstm.W_f32", "lstm.R_f32", "lstm.B_f32", "", "h_in", "c_in"],
                     ["Y", "Y_h", "Y_c"], hidden_size=H, direction="forward"),
    ]
    for n, out in (("Y", "Y_r"), ("Y_h", "h_out"), ("Y_c", "c_out")):
        nodes += [oh.make_node("Cast", [n], [n + "_f16"], to=F16), oh.make_node("Cast", [n + "_f16"], [out], to=F32)]
    nodes += [oh.make_node("Squeeze", ["Y_r", "squeeze_axes"], ["Y_sq"]),
              oh.make_node("Transpose", ["Y_sq"], ["decoder"], perm=[1, 2, 0])]
    g = oh.make_graph(nodes, "decoder", [
        oh.make_tensor_value_info("targets", TP.INT32, [1, 1]),
        oh.make_tensor_value_info("target_length", TP.INT32, [1]),
        oh.make_tensor_value_info("h_in", F32, [1, 1, H]),
        oh.make_tensor_value_info("c_in", F32, [1, 1, H])], [
        oh.make_tensor_value_info("decoder", F32, [1, H, 1]),
        oh.make_tensor_value_info("h_out", F32, [1, 1, H]),
        oh.make_tensor_value_info("c_out", F32, [1, 1, H])], initializer=inits)
    m = oh.make_model(g, opset_imports=[oh.make_opsetid("", 17)], producer_name=producer)
    m.ir_version = 8
    oh.set_model_props(m, {"eou.kind": "decoder", "eou.producer": producer})
    onnx.checker.check_model(m)
    onnx.save(m, path)


def export_joint(model, path, producer, K):
    import onnx
    from onnx import TensorProto as TP, helper as oh, numpy_helper as nh
    E, J, H = model.j_enc.in_features, model.j_enc.out_features, model.j_pred.in_features
    F32, F16 = TP.FLOAT, TP.FLOAT16
    ws = {"joint.enc.weight": model.j_enc.weight, "joint.enc.bias": model.j_enc.bias,
          "joint.pred.weight": model.j_pred.weight, "joint.pred.bias": model.j_pred.bias,
          "joint.out.weight": model.j_out.weight, "joint.out.bias": model.j_out.bias}
    inits = [nh.from_array(v.detach().numpy().astype(np.float16), k) for k, v in ws.items()]
    inits += [nh.from_array(np.array([-1, E], np.int64), "enc_shape"), nh.from_array(np.array([-1, H], np.int64), "dec_shape"),
              nh.from_array(np.array([-1, 1, 1], np.int64), "id_shape"), nh.from_array(np.array([-1, 1, 1, K], np.int64), "topk_shape"),
              nh.from_array(np.array([K], np.int64), "topk_k")]
    nodes = [oh.make_node("Cast", [k], [k + "_f32"], to=F32) for k in ws]
    nodes += [
        oh.make_node("Transpose", ["encoder_step"], ["enc_t"], perm=[0, 2, 1]),
        oh.make_node("Transpose", ["decoder_step"], ["dec_t"], perm=[0, 2, 1]),
        oh.make_node("Reshape", ["enc_t", "enc_shape"], ["enc_2d"]),
        oh.make_node("Reshape", ["dec_t", "dec_shape"], ["dec_2d"]),
        oh.make_node("Gemm", ["enc_2d", "joint.enc.weight_f32", "joint.enc.bias_f32"], ["f"], transB=1),
        oh.make_node("Gemm", ["dec_2d", "joint.pred.weight_f32", "joint.pred.bias_f32"], ["g"], transB=1),
        oh.make_node("Add", ["f", "g"], ["fg"]),
        oh.make_node("Relu", ["fg"], ["hidden"]),
        oh.make_node("Gemm", ["hidden", "joint.out.weight_f32", "joint.out.bias_f32"], ["logits_raw"], transB=1),
        oh.make_node("Cast", ["logits_raw"], ["logits_f16"], to=F16),
        oh.make_node("Cast", ["logits_f16"], ["logits"], to=F32),
        oh.make_node("ArgMax", ["logits"], ["argmax"], axis=-1, keepdims=1, select_last_index=0),
        oh.make_node("Cast", ["argmax"], ["argmax_i32"], to=TP.INT32),
        oh.make_node("Reshape", ["argmax_i32", "id_shape"], ["token_id"]),
        oh.make_node("Softmax", ["logits"], ["probs"], axis=-1),
        oh.make_node("GatherElements", ["probs", "argmax"], ["prob"], axis=1),
        oh.make_node("Reshape", ["prob", "id_shape"], ["token_prob"]),
        oh.make_node("TopK", ["logits", "topk_k"], ["topk_vals", "topk_idx"], axis=-1, largest=1, sorted=1),
        oh.make_node("Reshape", ["topk_vals", "topk_shape"], ["top_k_logits"]),
        oh.make_node("Cast", ["topk_idx"], ["topk_idx_i32"], to=TP.INT32),
        oh.make_node("Reshape", ["topk_idx_i32", "topk_shape"], ["top_k_ids"]),
    ]
    g = oh.make_graph(nodes, "joint_decision", [
        oh.make_tensor_value_info("encoder_step", F32, [1, E, 1]),
        oh.make_tensor_value_info("decoder_step", F32, [1, H, 1])], [
        oh.make_tensor_value_info("token_id", TP.INT32, [1, 1, 1]),
        oh.make_tensor_value_info("token_prob", F32, [1, 1, 1]),
        oh.make_tensor_value_info("top_k_ids", TP.INT32, [1, 1, 1, K]),
        oh.make_tensor_value_info("top_k_logits", F32, [1, 1, 1, K])], initializer=inits)
    m = oh.make_model(g, opset_imports=[oh.make_opsetid("", 17)], producer_name=producer)
    m.ir_version = 8
    oh.set_model_props(m, {"eou.kind": "joint_decision", "eou.producer": producer})
    onnx.checker.check_model(m)
    onnx.save(m, path)


def _store_fp16(m):
    """fp16 weight storage, like the shipped models: every float32 initializer whose values are exactly
    representable in float16 (load_model() rounds the encoder's weights so that they are) is stored as float16
    and Cast back to float32 in front of its users, so the graph computes exactly what the PyTorch encoder did."""
    import onnx
    from onnx import numpy_helper as nh
    TP = onnx.TensorProto
    casts, keep = [], []
    for init in m.graph.initializer:
        if init.data_type == TP.FLOAT:
            w = nh.to_array(init)
            if w.size >= 64 and np.array_equal(w.astype(np.float16).astype(np.float32), w):
                keep.append(nh.from_array(w.astype(np.float16), init.name + "_f16"))
                casts.append(onnx.helper.make_node("Cast", [init.name + "_f16"], [init.name], to=TP.FLOAT))
                continue
        keep.append(init)
    del m.graph.initializer[:]
    m.graph.initializer.extend(keep)
    nodes = casts + list(m.graph.node)
    del m.graph.node[:]
    m.graph.node.extend(nodes)


def export_encoder(model, path, producer):
    import onnx
    import torch

    class Wrap(torch.nn.Module):
        def __init__(self, enc):
            super().__init__()
            self.enc = enc

        def forward(self, features):
            return self.enc(features).transpose(1, 2)

    w = Wrap(model.encoder).eval()
    x = torch.randn(1, 128, 97)
    torch.onnx.export(w, (x,), path, input_names=["features"], output_names=["encoded"],
                      dynamic_axes={"features": {2: "T"}, "encoded": {2: "T_out"}}, opset_version=17)
    m = onnx.load(path)
    _store_fp16(m)
    oh = onnx.helper
    oh.set_model_props(m, {"eou.kind": "encoder", "eou.producer": producer})
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, path)


def cmd_export(a):
    import torch
    torch.set_num_threads(2)
    model, st = load_model()
    cfg = st["cfg"]
    out = os.path.join(ASSETS, "model")
    os.makedirs(out, exist_ok=True)
    producer = "tools/tiny-eou/recipe.py (tiny-eou, seed %d, step %d)" % (SEED, st["step"])
    K = min(64, V)
    export_decoder(model, os.path.join(out, "decoder.onnx"), producer)
    export_joint(model, os.path.join(out, "joint_decision.onnx"), producer, K)
    export_encoder(model, os.path.join(out, "encoder.onnx"), producer)
    with open(os.path.join(out, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump({str(i): p for i, p in enumerate(PIECES)}, f, ensure_ascii=False, indent=0)
    mj = {"format": "eou-model/1", "blankId": BLANK_ID, "eouId": EOU_ID, "eobId": EOB_ID, "vocabSize": V,
          "hiddenSize": cfg["H"], "encoderDim": cfg["E"], "jointDim": cfg["J"], "topK": K, "maxSymbolsPerFrame": 2,
          "frameMs": 80, "batch": False, "producer": producer, "ext": "onnx",
          "encoder": {"file": "encoder.onnx", "input": "features", "output": "encoded", "subsampling": 8,
                      "features": {"sampleRate": SR, "nFft": 512, "winLength": 400, "hop": 160, "nMels": 128,
                                   "melScale": "slaney", "preemphasis": 0.97, "logGuard": 2 ** -24}}}
    with open(os.path.join(out, "model.json"), "w") as f:
        json.dump(mj, f, indent=2)
    # numeric check: numpy re-implementation of the exported graphs vs torch on dev utterances
    dec = NumpyDecoder(out)
    feats, offs, meta = load_feats("dev")
    same, n_chk = 0, min(20, len(meta))
    for i in range(n_chk):
        x = torch.tensor(feats[offs[i]:offs[i + 1]].astype(np.float32).T[None])
        with torch.no_grad():
            f = model.encoder(x)[0]
            t1, _ = greedy_torch(model, f)
        t2, _, _ = dec.greedy(f.numpy().astype(np.float16).astype(np.float32))
        same += t1 == t2
    print("export ok: %d/%d dev utterances give identical tokens (torch fp32 vs numpy fp16 graph math)" % (same, n_chk))


# ----------------------------------------------------------------------------- numpy mirror of the ONNX graphs
def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


class NumpyDecoder:
    """Greedy decode with the exact math of decoder.onnx + joint_decision.onnx (fp16 weights, fp16 roundings)."""

    def __init__(self, model_dir):
        import onnx
        from onnx import numpy_helper as nh
        w = {}
        for fn in ("decoder.onnx", "joint_decision.onnx"):
            for t in onnx.load(os.path.join(model_dir, fn)).graph.initializer:
                w[t.name] = nh.to_array(t).astype(np.float32)
        self.w = w
        self.H = w["embed.weight"].shape[1]

    def decoder(self, tok, h, c):
        w, H = self.w, self.H
        x = w["embed.weight"][tok]
        gates = w["lstm.W"][0] @ x + w["lstm.R"][0] @ h + w["lstm.B"][0, :4 * H] + w["lstm.B"][0, 4 * H:]
        i, o, f, cc = np.split(gates, 4)
        c2 = _sig(f) * c + _sig(i) * np.tanh(cc)
        h2 = _sig(o) * np.tanh(c2)
        r = lambda v: v.astype(np.float16).astype(np.float32)
        return r(h2), r(h2), r(c2)

    def joint(self, e, d):
        w = self.w
        hid = np.maximum(0, w["joint.enc.weight"] @ e + w["joint.enc.bias"] + w["joint.pred.weight"] @ d + w["joint.pred.bias"])
        logits = (w["joint.out.weight"] @ hid + w["joint.out.bias"]).astype(np.float16).astype(np.float32)
        return int(np.argmax(logits)), logits

    def greedy(self, frames, max_sym=2):
        """frames [N,E] -> (tokens incl. EOU, frame index per token, EOU frames); policy 'reset' on EOU."""
        H = self.H
        h = np.zeros(H, np.float32)
        c = np.zeros(H, np.float32)
        last = BLANK_ID
        toks, tf, eous = [], [], []
        d, hn, cn = self.decoder(last, h, c)
        for t in range(frames.shape[0]):
            for _ in range(max_sym):
                k, _ = self.joint(frames[t], d)
                if k == BLANK_ID:
                    break
                toks.append(k)
                tf.append(t)
                if k == EOU_ID:
                    eous.append(t)
                    h = np.zeros(H, np.float32)
                    c = np.zeros(H, np.float32)
                    d, hn, cn = self.decoder(BLANK_ID, h, c)
                    break
                h, c = hn, cn
                d, hn, cn = self.decoder(k, h, c)
        return toks, tf, eous


# ----------------------------------------------------------------------------- test sets
def _write_set(name, items, model, dec, readme):
    """items: list of dict(id, text, audio(float32), extra...) -> frames + manifest; returns stats."""
    import torch
    d = os.path.join(ASSETS, "sets", name)
    os.makedirs(os.path.join(d, "frames"), exist_ok=True)
    errs = words = errs_sc = 0
    lat = []
    lines = []
    results = []
    for it in items:
        x = logmel(it["audio"])
        with torch.no_grad():
            f = model.encoder(torch.tensor(x[None]))[0].numpy()
        f16 = np.ascontiguousarray(f.astype(np.float16))
        np.save(os.path.join(d, "frames", it["id"] + ".npy"), f16)
        toks, tf, eous = dec.greedy(f16.astype(np.float32))
        hyp = decode_ids(toks)
        e, w = wer_counts(it["text"], hyp)
        errs += e
        words += w
        # `stop-chunk` EOU policy with the whole file as one chunk = the reset decode cut at the first EOU
        hyp_sc = decode_ids(toks[: toks.index(EOU_ID)] if EOU_ID in toks else toks)
        errs_sc += wer_counts(it["text"], hyp_sc)[0]
        rec = {"id": it["id"], "text": it["text"], "frames": "frames/%s.npy" % it["id"],
               "duration": round(len(it["audio"]) / SR, 3), "num_frames": int(f16.shape[0])}
        rec.update(it.get("extra", {}))
        if "speech_end" in it:
            rec["speech_end"] = round(it["speech_end"] / SR, 3)
            if eous:
                # EOU fires at the end of encoder frame t: (t+1)*80 ms
                lat.append((eous[0] + 1) * 0.08 - it["speech_end"] / SR)
        lines.append(json.dumps(rec, ensure_ascii=False))
        results.append({"id": it["id"], "ref": it["text"], "hyp": hyp, "tokens": toks, "token_frames": tf, "eou_frames": eous})
    with open(os.path.join(d, "manifest.jsonl"), "w") as fo:
        fo.write("\n".join(lines) + "\n")
    with open(os.path.join(d, "README.md"), "w") as fo:
        fo.write(readme)
    with open(os.path.join(WORK, "results-%s.jsonl" % name), "w") as fo:
        fo.write("\n".join(json.dumps(r) for r in results) + "\n")
    st = {"set": name, "utterances": len(items), "words": words, "errors": errs, "wer": errs / max(1, words),
          "errors_stop_chunk": errs_sc, "wer_stop_chunk": errs_sc / max(1, words),
          "eou_detected": sum(1 for r in results if r["eou_frames"]), "eou_final": sum(1 for r in results if r["tokens"] and r["tokens"][-1] == EOU_ID)}
    if lat:
        lat_ms = np.array(lat) * 1000
        st.update(eou_latency_ms_p50=float(np.percentile(lat_ms, 50)), eou_latency_ms_p90=float(np.percentile(lat_ms, 90)),
                  eou_latency_ms_mean=float(lat_ms.mean()), eou_early=int((lat_ms < 0).sum()))
    print(json.dumps(st), flush=True)
    return st


FRAMES_NOTE = ("Frames: `frames/<id>.npy`, float16 [N,E] C-order: the output of `../../model/encoder.onnx` "
               "(computed with the PyTorch encoder the ONNX file was exported from) on the seed log-mel features "
               "of the 16 kHz audio. Decode them with `../../model` (decoder.onnx + joint_decision.onnx).\n")


def cmd_testsets(a):
    import torch
    torch.set_num_threads(2)
    model, st = load_model()
    dec = NumpyDecoder(os.path.join(ASSETS, "model"))
    stats = [_write_set(name, items, model, dec, readme) for name, items, readme in _testset_items(a)]
    with open(os.path.join(WORK, "testset-stats.json"), "w") as fo:
        json.dump({"stats": stats, "step": st["step"], "t_used": st["t_used"], "cfg": st["cfg"],
                   "ctc_steps": st.get("ctc_steps")}, fo, indent=1)
    # dump reference decodes of 3 utterances for tools/tiny-eou/verify-onnx.mjs
    ref = []
    for name in ("synth-heldout", "asterisk", "librivox"):
        rs = [json.loads(l) for l in open(os.path.join(WORK, "results-%s.jsonl" % name))]
        r = rs[1]
        ref.append({"set": name, "id": r["id"], "tokens": r["tokens"], "token_frames": r["token_frames"]})
    os.makedirs(os.path.join(HERE, "golden"), exist_ok=True)
    with open(os.path.join(HERE, "golden", "decode-ref.json"), "w") as fo:
        json.dump(ref, fo)


def cmd_evalckpt(a):
    """WER of one checkpoint on the three test sets (PyTorch greedy decode, EOU policy reset), without
    exporting anything: how the seed variance of the model card is measured."""
    import torch
    torch.set_num_threads(2)
    model, st = load_model(a.ckpt)
    out = {"ckpt": a.ckpt, "seed": st.get("seed"), "step": st["step"], "minutes": round(st["t_used"] / 60, 1), "sets": {}}
    for name, items, _ in _testset_items(a):
        E_ = N_ = 0
        for it in items:
            with torch.no_grad():
                f = model.encoder(torch.tensor(logmel(it["audio"])[None]))[0]
                toks, _ = greedy_torch(model, f)
            e, w = wer_counts(it["text"], decode_ids(toks))
            E_ += e
            N_ += w
        out["sets"][name] = {"errors": E_, "words": N_, "wer": E_ / max(1, N_)}
        print("%s %s: WER %.2f %% (%d / %d)" % (a.ckpt, name, 100 * E_ / max(1, N_), E_, N_), flush=True)
    with open(os.path.join(WORK, "eval-%s.json" % a.ckpt), "w") as fo:
        json.dump(out, fo, indent=1)


def _testset_items(a):
    """[(set name, items, README text)] for the three test sets; items: dict(id, text, audio, ...)."""
    sets = []
    # (1) held-out synthetic voices
    dd = np.load(os.path.join(WORK, "data", "test.npz"))
    meta = json.load(open(os.path.join(WORK, "data", "test.json")))
    items = []
    for i, m in enumerate(meta[: a.n_heldout]):
        au = dd["audio"][dd["offs"][i]:dd["offs"][i + 1]].astype(np.float32) / 32768.0
        items.append({"id": m["id"], "text": m["text"], "audio": au, "speech_end": m["speech_end"],
                      "extra": {"voice": "%s:%s%s" % (m["engine"], m["voice"], "" if m["engine"] == "flite" else "/" + m["accent"]),
                                "speech_start": round(m["speech_start"] / SR, 3)}})
    sets.append(("synth-heldout", items,
        "# synth-heldout: synthetic speech from held-out voices\n\n"
        "%d utterances synthesised by `tools/tiny-eou/recipe.py synth` (seed %d) from the closed text domain of the "
        "training data (telephone prompts, digits, letters, NATO words, card names, short commands, Asterisk prompt sentences) "
        "with voices never used in training: espeak-ng variants %s (any English accent) and the flite voice %s. "
        "Each utterance is preceded by 0.05-0.5 s and followed by 0.9-1.4 s of silence (light noise floor, 50 dB SNR). "
        "`speech_end` (seconds) is the known end of speech, used for the EOU latency figures.\n\n%s\n"
        "Licence: generated audio; espeak-ng is GPL-3+, flite voices are BSD-style (CMU); the texts are partly taken from the "
        "Asterisk core sound prompt transcripts (CC-BY-SA-3.0, Digium, Inc. / Allison Smith).\n"
        % (len(items), SEED, ", ".join(ESPEAK_TEST), ", ".join(FLITE_TEST), FRAMES_NOTE)))
    # (2) Asterisk prompts: real human speech, 8 kHz -> 16 kHz
    tr = asterisk_transcripts()
    names = sorted(n for n, t in tr.items() if not t.startswith("[") and normalise(t)
                   and os.path.exists("/usr/share/asterisk/sounds/en/%s.wav" % n))
    rng = random.Random(SEED)
    pick = sorted(rng.sample(names, min(a.n_asterisk, len(names))))
    items = []
    with tempfile.TemporaryDirectory() as td:
        for n in pick:
            au = to16k("/usr/share/asterisk/sounds/en/%s.wav" % n, os.path.join(td, "x.wav"))
            au = np.concatenate([au, np.zeros(int(0.8 * SR), np.float32)])
            items.append({"id": n.replace("/", "__"), "text": normalise(tr[n]), "audio": au,
                          "extra": {"source": "asterisk-core-sounds-en-wav:%s.wav" % n, "raw_text": tr[n]}})
    sets.append(("asterisk", items,
        "# asterisk: real human speech (Asterisk core sound prompts, English)\n\n"
        "%d prompts chosen with seed %d from the 563 speech prompts of the Debian package `asterisk-core-sounds-en-wav` "
        "(8 kHz 16-bit WAV, one US-English female speaker, Allison Smith), upsampled to 16 kHz with sox (`rate -v`) and "
        "followed by 0.8 s of digital silence. References are the package's transcripts "
        "(`/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz`) normalised: lowercase, numbers spelled out "
        "as words, `*` -> star, `#` -> pound, punctuation stripped (`raw_text` keeps the original). Bracketed non-speech "
        "notes were skipped. The training texts include these transcripts (spoken by TTS voices), so this set measures "
        "the TTS -> human voice gap on in-domain text, not unseen text.\n\n%s\n"
        "Licence: Asterisk core sounds are CC-BY-SA-3.0, copyright Digium, Inc., voice by Allison Smith. These derived "
        "encoder frames and the manifest are shared under the same licence (CC-BY-SA-3.0).\n"
        % (len(items), SEED, FRAMES_NOTE)))
    # (3) pocketsphinx-testdata: LibriVox + cards
    base = "/usr/share/pocketsphinx/test/data"
    items = []
    for sub, trn in (("librivox", "librivox/transcription"), ("cards", "cards/cards.transcription")):
        for line in open(os.path.join(base, trn)):
            m = re.match(r"<s>(.*)</s>\s*\((.*)\)", line.strip())
            if not m:
                continue
            text, uid = normalise(m.group(1)), m.group(2).strip()
            au, sr = read_wav(os.path.join(base, sub, uid + ".wav"))
            assert sr == SR
            au = np.concatenate([au, np.zeros(int(0.8 * SR), np.float32)])
            items.append({"id": "%s-%s" % (sub, uid), "text": text, "audio": au,
                          "extra": {"source": "pocketsphinx-testdata:%s/%s.wav" % (sub, uid)}})
    sets.append(("librivox", items,
        "# librivox: real human speech from pocketsphinx-testdata\n\n"
        "%d utterances from the Debian package `pocketsphinx-testdata` (16 kHz WAV): 5 LibriVox recordings of "
        "*Sense and Sensibility* (chapter 1, out of the training text domain) and 5 `cards` utterances "
        "(\"ten of clubs\"...), each followed by 0.8 s of digital silence. References from `librivox/transcription` "
        "and `cards/cards.transcription` (Sphinx format), lowercase.\n\n%s\n"
        "Licence: pocketsphinx test data is BSD-2-clause (Carnegie Mellon University; the LibriVox recordings are public "
        "domain). Debian packaging GPL-2+.\n" % (len(items), FRAMES_NOTE)))
    return sets


def cmd_card(a):
    s = json.load(open(os.path.join(WORK, "testset-stats.json")))
    mj = json.load(open(os.path.join(ASSETS, "model", "model.json")))
    tpl = open(os.path.join(HERE, "model-card.template.md")).read()
    rows = "\n".join("| `%s` | %d | %d | %d | **%.2f %%** | %d (%.2f %%) | %d/%d |" % (x["set"], x["utterances"], x["words"],
                     x["errors"], 100 * x["wer"], x["errors_stop_chunk"], 100 * x["wer_stop_chunk"], x["eou_detected"],
                     x["utterances"]) for x in s["stats"])
    h = s["stats"][0]
    sizes = "\n".join("| `%s` | %d |" % (f, os.path.getsize(os.path.join(ASSETS, "model", f)))
                      for f in sorted(os.listdir(os.path.join(ASSETS, "model"))) if f != "README.md")
    nwords = sum(1 for x in PIECES if x not in CHAR_PIECES)
    out = tpl.format(ntext=N_TEXT, nwords=nwords, lastword=nwords - 1, lasttext=N_TEXT - 1, V=V, H=mj["hiddenSize"], E=mj["encoderDim"], J=mj["jointDim"], K=mj["topK"], blank=BLANK_ID,
                     eou=EOU_ID, eob=EOB_ID, seed=SEED, steps=s["step"], minutes="%.1f" % (s["t_used"] / 60),
                     blocks=s["cfg"]["blocks"], kernel=s["cfg"]["kernel"], C=s["cfg"]["C"], wer_rows=rows,
                     p50="%.0f" % h.get("eou_latency_ms_p50", float("nan")), p90="%.0f" % h.get("eou_latency_ms_p90", float("nan")),
                     mean="%.0f" % h.get("eou_latency_ms_mean", float("nan")), early=h.get("eou_early", 0),
                     nlat=h["eou_detected"], nh=h["utterances"], sizes=sizes,
                     esp_train=", ".join(ESPEAK_TRAIN), esp_test=", ".join(ESPEAK_TEST), fl_train=", ".join(FLITE_TRAIN),
                     fl_test=", ".join(FLITE_TEST), accents=", ".join(ACCENTS), seed_rows=seed_rows(),
                     wer_heldout="%.1f %%" % (100 * h["wer"]), wer_asterisk="%.1f %%" % (100 * s["stats"][1]["wer"]),
                     wer_librivox="%.1f %%" % (100 * s["stats"][2]["wer"]), exact=exact_heldout(),
                     ctc_steps=s.get("ctc_steps", "?"))
    with open(os.path.join(ASSETS, "model", "README.md"), "w") as fo:
        fo.write(out)
    # the card's figures, machine-readable: apps/cli checks that `eou wer-gate` reproduces them
    card = {"seed": SEED, "steps": s["step"], "trainingMinutes": round(s["t_used"] / 60, 1),
            "decode": {"maxSymbolsPerFrame": 2, "normalizer": "harness"},
            "sets": {x["set"]: {"utterances": x["utterances"], "words": x["words"],
                                "errors": {"reset": x["errors"], "stop-chunk": x["errors_stop_chunk"]}}
                     for x in s["stats"]},
            "eouLatencyMs": {k: round(h[k], 1) for k in ("eou_latency_ms_p50", "eou_latency_ms_p90") if k in h}}
    with open(os.path.join(ASSETS, "model", "card.json"), "w") as fo:
        json.dump(card, fo, indent=2)
        fo.write("\n")
    print(out)


def exact_heldout():
    """Held-out utterances decoded exactly (from the `testsets` results in $WORK)."""
    rs = [json.loads(l) for l in open(os.path.join(WORK, "results-synth-heldout.jsonl"))]
    return sum(1 for x in rs if x["ref"] == x["hyp"])


def seed_rows():
    """Rows of the seed-variance table: every `evalckpt` result in $WORK (eval-<ckpt>.json)."""
    rows = []
    for path in sorted(glob.glob(os.path.join(WORK, "eval-*.json"))):
        e = json.load(open(path))
        cells = " | ".join("%.2f %%" % (100 * e["sets"][n]["wer"]) for n in ("synth-heldout", "asterisk", "librivox"))
        rows.append("| `%s` | %s | %d | %.1f | %s |" % (e["ckpt"], e.get("seed"), e["step"], e["minutes"], cells))
    return "\n".join(rows) if rows else "| (no `evalckpt` results) | | | | | | |"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sp = p.add_subparsers(dest="cmd", required=True)
    s = sp.add_parser("synth")
    s.add_argument("--n-train", type=int, default=12000)
    s.add_argument("--n-dev", type=int, default=300)
    s.add_argument("--n-test", type=int, default=250)
    s.add_argument("--jobs", type=int, default=2)
    s = sp.add_parser("features")
    s.add_argument("--jobs", type=int, default=2)
    sp.add_parser("golden")
    s = sp.add_parser("train")
    s.add_argument("--E", type=int, default=192)
    s.add_argument("--H", type=int, default=160)
    s.add_argument("--J", type=int, default=160)
    s.add_argument("--C", type=int, default=192)
    s.add_argument("--blocks", type=int, default=6)
    s.add_argument("--kernel", type=int, default=5)
    s.add_argument("--lr", type=float, default=2e-3)
    s.add_argument("--steps", type=int, default=11000)
    s.add_argument("--ctc-steps", type=int, default=4000)
    s.add_argument("--warmup", type=int, default=300)
    s.add_argument("--batch-frames", type=int, default=4000)
    s.add_argument("--dev-every", type=int, default=1000)
    s.add_argument("--seed", type=int, default=SEED)
    s.add_argument("--ckpt", default="ckpt", help="checkpoint folder under $TINY_EOU_WORK")
    s.add_argument("--ckpt-minutes", type=float, default=3.0)
    s.add_argument("--max-minutes", type=float, default=0)
    s.add_argument("--fresh", action="store_true")
    s.add_argument("--ctc-weight", type=float, default=0.3)
    sp.add_parser("export")
    s = sp.add_parser("testsets")
    s.add_argument("--n-heldout", type=int, default=250)
    s.add_argument("--n-asterisk", type=int, default=150)
    sp.add_parser("card")
    s = sp.add_parser("evalckpt")
    s.add_argument("--ckpt", default="ckpt", help="checkpoint folder under $TINY_EOU_WORK")
    s.add_argument("--n-heldout", type=int, default=250)
    s.add_argument("--n-asterisk", type=int, default=150)
    a = p.parse_args()
    load_vocab()
    globals()["cmd_" + a.cmd](a)


if __name__ == "__main__":
    main()
