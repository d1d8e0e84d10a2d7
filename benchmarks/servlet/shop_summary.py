"""Summaries for shop-profile.sh.

  compiler-share <threads before> <threads after>
      the JIT compiler threads' share (%) of the process CPU between the two snapshots
  summary <threads before> <threads after> <recording.jfr> <requests>
      CPU µs per request by thread group; the request threads' samples that are the agent's
      (outermost dev.sketchtrace frame and its caller); allocation per request by thread group
"""
import collections
import json
import re
import subprocess
import sys

CLOCK_TICKS_PER_SECOND = 100  # Linux USER_HZ


def threads(path):
    out = {}
    for line in open(path):
        name, ticks, tid = line.rstrip("\n").split("\t")
        out[tid] = (name, int(ticks))
    return out


def group(name):
    return re.sub(r"\d+", "N", name or "?")


def ticks_by_group(before, after):
    a, b = threads(before), threads(after)
    groups = collections.Counter()
    for tid, (name, ticks) in b.items():
        groups[group(name)] += ticks - a.get(tid, (name, 0))[1]
    return groups


def events(recording, name):
    out = subprocess.check_output(["jfr", "print", "--json", "--events", name, recording])
    return json.loads(out)["recording"]["events"]


def short(frame):
    method = frame["method"]
    return method["type"]["name"].split("/")[-1] + "." + method["name"]


def is_agent(frame):
    name = frame["method"]["type"]["name"]
    return name.startswith("dev/sketchtrace/") and not name.startswith("dev/sketchtrace/sample/")


def summary(before, after, recording, requests):
    groups = ticks_by_group(before, after)
    per_request = {g: t * 1e6 / CLOCK_TICKS_PER_SECOND / requests for g, t in groups.items()}
    request_threads = per_request.get("http-nio-N-", 0.0)
    print(f"CPU per request: {sum(per_request.values()):.1f} µs in all; by thread group (µs, and"
          f" as % of the request threads'):")
    for g, us in sorted(per_request.items(), key=lambda kv: -kv[1])[:10]:
        if us >= 0.05:
            print(f"  {us:7.2f}  {100 * us / max(request_threads, 1e-9):6.2f} %  {g}")

    samples = agent = 0
    work = collections.Counter()
    for event in events(recording, "jdk.ExecutionSample"):
        values = event["values"]
        if not (values["sampledThread"]["javaName"] or "").startswith("http-nio"):
            continue
        samples += 1
        frames = values["stackTrace"]["frames"] if values["stackTrace"] else []
        outermost = [i for i, f in enumerate(frames) if is_agent(f)]
        if outermost:
            agent += 1
            i = outermost[-1]
            caller = short(frames[i + 1]) if i + 1 < len(frames) else "?"
            work[f"{short(frames[i])} <- {caller}"] += 1
    print(f"request-thread samples in agent code: {100 * agent / max(samples, 1):.2f} % of {samples}"
          f" (advice inlined into the app's methods is not counted, only calls into agent classes)")
    for what, n in work.most_common(12):
        print(f"  {100 * n / max(samples, 1):5.2f} %  {what}")

    allocated = collections.defaultdict(list)
    for event in events(recording, "jdk.ThreadAllocationStatistics"):
        thread = event["values"]["thread"]
        if thread:
            allocated[thread["javaName"]].append(event["values"]["allocated"])
    by_group = collections.Counter()
    for name, values in allocated.items():
        by_group[group(name)] += max(values) - min(values)
    print(f"allocation per request: {sum(by_group.values()) / requests:.0f} B; by thread group: "
          + ", ".join(f"{g} {b / requests:.0f}" for g, b in by_group.most_common(6) if b > 0))


def main(args):
    if args[0] == "compiler-share":
        groups = ticks_by_group(args[1], args[2])
        compiler = sum(t for g, t in groups.items() if "Compiler" in g)
        print(f"{100 * compiler / max(sum(groups.values()), 1):.1f}")
    else:
        summary(args[1], args[2], args[3], float(args[4]))


if __name__ == "__main__":
    main(sys.argv[1:])
