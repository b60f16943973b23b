#!/usr/bin/env python3
"""Regenerates xxh128-known-answers.txt from the reference `xxhsum -H2` (Debian package xxhash).

Run once from this folder: python3 generate-xxh128-known-answers.py > xxh128-known-answers.txt
The C# tests rebuild the same input pattern and compare against the committed output.
"""
import os
import subprocess
import sys
import tempfile

LARGER_LENGTHS = [
    257, 511, 512, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 10_000,
    65_537, 100_003, 1_048_575, 1_048_576, 3_333_333, 8_388_609,
]
LENGTHS = list(range(0, 257)) + LARGER_LENGTHS


def pattern(length):
    return bytes(((i * 2654435761) & 0xFFFFFFFF) >> 24 for i in range(length))


def main():
    data = pattern(max(LENGTHS))
    version = subprocess.run(["xxhsum", "--version"], capture_output=True, text=True, check=True)
    with tempfile.TemporaryDirectory() as folder:
        names = []
        for length in LENGTHS:
            name = f"{length}.bin"
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data[:length])
            names.append(name)
        out = subprocess.run(["xxhsum", "-H2", *names], cwd=folder, capture_output=True, text=True, check=True)
    digests = {}
    for line in out.stdout.splitlines():
        digest, name = line.split("  ", 1)
        digests[int(name.removesuffix(".bin"))] = digest
    print("# XXH3-128 (seed 0, default secret) known answers, produced by `xxhsum -H2`:")
    print("#   " + (version.stdout + version.stderr).strip().splitlines()[0].strip())
    print("# Input of length N is bytes 0..N-1 of the pattern")
    print("#   byte[i] = (byte)(((uint)i * 2654435761u) >> 24)   (32-bit wrapping multiply)")
    print("# Regenerate with generate-xxh128-known-answers.py in this folder.")
    print("# <length> <digest as xxhsum prints it: high 64 bits then low 64 bits, lowercase hex>")
    for length in LENGTHS:
        print(f"{length} {digests[length]}")


if __name__ == "__main__":
    sys.exit(main())
