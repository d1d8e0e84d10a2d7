"""Summarises a profile.sh recording: the agent's share of the request threads' execution samples,
by what it was doing, and the request threads' allocation per request. Usage: jfr-file requests."""
import collections
import json
import subprocess
import sys


def events(recording, name):
    out = subprocess.check_output(["jfr", "print", "--json", "--events", name, recording])
    return json.loads(out)["recording"]["events"]


def agent_work(frames):
    """What the agent was doing in this stack, or None when the sample is not the agent's."""
    for i, frame in enumerate(frames):
        method = frame["method"]
        name = method["type"]["name"].replace("/", ".") + "." + method["name"]
        if (name == "jakarta.servlet.http.HttpServlet.service"
                and "HttpServletRequest" not in method["descriptor"]):
            callee = frames[i - 1]["method"] if i > 0 else None
            callee_name = (callee["type"]["name"].replace("/", ".") + "." + callee["name"]) if callee else "(own code)"
            if callee_name == "jakarta.servlet.http.HttpServlet.service":
                return None  # the app's own service(HttpServletRequest, HttpServletResponse)
            return "advice line %s: %s" % (frame["lineNumber"], callee_name)
        if name.startswith("dev.sketchtrace"):
            return "agent: " + name
    return None


def main(recording, requests):
    total = request_samples = 0
    work = collections.Counter()
    for event in events(recording, "jdk.ExecutionSample"):
        values = event["values"]
        thread = values["sampledThread"]["javaName"] or ""
        total += 1
        if not thread.startswith("http-nio"):
            continue
        request_samples += 1
        what = agent_work(values["stackTrace"]["frames"] if values["stackTrace"] else [])
        if what:
            work[what] += 1
    agent = sum(work.values())
    # Self time in HttpServlet.service(ServletRequest, ServletResponse) is the advice's inlined code
    # or the method's own casts: the line table cannot tell them apart, so it is shown apart too.
    own = sum(n for what, n in work.items() if what.endswith("(own code)"))
    print(f"execution samples: {total}, on request threads: {request_samples}")
    print(f"agent on the request threads: {100 * agent / max(request_samples, 1):.2f} % of their samples"
          f" ({100 * (agent - own) / max(request_samples, 1):.2f} % without the woven method's own lines)")
    for what, n in work.most_common(15):
        print(f"  {100 * n / max(request_samples, 1):5.2f} %  {what}")
    allocated = collections.defaultdict(list)
    for event in events(recording, "jdk.ThreadAllocationStatistics"):
        values = event["values"]
        thread = values["thread"]["javaName"] if values["thread"] else None
        if thread and thread.startswith("http-nio"):
            allocated[thread].append(values["allocated"])
    bytes_allocated = sum(max(a) - min(a) for a in allocated.values())
    print(f"request threads allocated {bytes_allocated / requests:.0f} B per request")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
