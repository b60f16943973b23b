"""Resamples the shipped sample onto more days, for the scale benchmark (bench/run.sh --scale): DAYS consecutive days
from the sample's first, day i carrying the rows of the sample's day i mod (its day count) under the new date, so the
seasons repeat in order and every day has the shape of a real one. Written as make-raw.py writes a landing zone: one
date=YYYY-MM-DD/<sample name> per day, header first, LF line endings. Usage: make-scale-raw.py SAMPLE OUT DAYS."""
import datetime
import os
import sys

sample, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(sample, encoding="utf-8") as f:
    lines = f.read().split("\n")
header = lines[0].lstrip("\ufeff")
days = {}
for line in lines[1:]:
    if line:
        days.setdefault(line.split(",")[0], []).append(line.split(",", 1)[1])
name = os.path.basename(sample)
source = sorted(days)
first = datetime.date.fromisoformat(source[0])
for i in range(count):
    day = (first + datetime.timedelta(days=i)).isoformat()
    os.makedirs(f"{out}/date={day}", exist_ok=True)
    with open(f"{out}/date={day}/{name}", "w", encoding="utf-8", newline="") as f:
        f.write(header + "\n" + "".join(f"{day},{rest}\n" for rest in days[source[i % len(source)]]))
