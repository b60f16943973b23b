"""Splits the shipped sample into a Hive-style landing zone, as the engine's LandingZone does: one
date=YYYY-MM-DD/<sample name> per day, header first, LF line endings. Usage: make-raw.py SAMPLE OUT DAYS.
Fewer DAYS than the sample has are spread evenly over it (every 4th day for 365 of 1,461), so the seasons, and the
sample's evaluation gate, still hold."""
import os
import sys

sample, out, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(sample, encoding="utf-8") as f:
    lines = f.read().split("\n")
header = lines[0].lstrip("\ufeff")
days = {}
for line in lines[1:]:
    if line:
        days.setdefault(line.split(",")[0], []).append(line)
name = os.path.basename(sample)
selected = sorted(days)
step = max(1, len(selected) // limit)
for day in selected[::step][:limit]:
    os.makedirs(f"{out}/date={day}", exist_ok=True)
    with open(f"{out}/date={day}/{name}", "w", encoding="utf-8", newline="") as f:
        f.write(header + "\n" + "".join(l + "\n" for l in days[day]))
