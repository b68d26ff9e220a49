"""Benchmarks: what the tool adds to what the portal costs. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/run.py [--runs 5]

1. the whole download against the mock vs benchmarks/baseline.py (bare Playwright, same clicks), medians
   over interleaved runs, and the ratio (target ≤ 1.10);
2. the same with 1 s added to every response of the mock;
3. start-up of `--help` and `--version` against `python -c pass`, and whether Playwright was imported;
4. time from the command to the captcha prompt, tool vs baseline;
5. peak memory of the tool's own process and of its browser.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixtures.mock_portal import ACCOUNTS, MockConfig, MockPortal  # noqa: E402
from infonavit_fetch.browser.finder import find_browser  # noqa: E402

PROMPT = "Escribe el código de la imagen y pulsa Enter:"
ACCOUNT = ACCOUNTS[0]
BROWSER = find_browser(explicit=None, system=platform.system(), env=os.environ).path


@dataclass
class Sample:
    total: float
    to_prompt: float
    own_peak_kib: int
    browser_peak_kib: int


def _rss_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _browser_rss_kib(marker: str) -> int:
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    total += _rss_kib(int(entry.name), "VmRSS")
            except OSError:
                continue
    return total


def run_once(cmd: list[str], portal: MockPortal, marker: str) -> Sample:
    """Run one download; answer the captcha as soon as it is asked; sample memory meanwhile."""
    env = {
        **os.environ,
        "INFONAVIT_NSS": ACCOUNT.nss,
        "INFONAVIT_PASSWORD": ACCOUNT.password,
        "INFONAVIT_BROWSER_PATH": BROWSER,
        "INFONAVIT_BROWSER_ARGS": f"--infonavit-bench={marker}",
    }
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin and proc.stderr and proc.stdout
    peaks = {"own": 0, "browser": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peaks["own"] = max(peaks["own"], _rss_kib(proc.pid, "VmHWM"))
            peaks["browser"] = max(peaks["browser"], _browser_rss_kib(marker))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    seen = b""
    to_prompt = 0.0
    while PROMPT.encode() not in seen:
        chunk = proc.stderr.read1(4096)  # type: ignore[attr-defined]
        if not chunk:
            raise RuntimeError(f"{cmd[1:3]} ended before the captcha:\n{seen.decode(errors='replace')}")
        seen += chunk
    to_prompt = time.monotonic() - started
    proc.stdin.write((portal.state.last_captcha + "\n").encode())
    proc.stdin.flush()
    _, err = proc.communicate(timeout=300)
    total = time.monotonic() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}: {(seen + err).decode(errors='replace')}")
    return Sample(total, to_prompt, peaks["own"], peaks["browser"])


def compare(runs: int, delay: float) -> dict[str, list[Sample]]:
    results: dict[str, list[Sample]] = {"tool": [], "baseline": []}
    with MockPortal(MockConfig(delivery="inline-new-tab", delay=delay)) as portal, tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            for name in ("tool", "baseline"):  # interleaved, so drift hits both alike
                marker = uuid.uuid4().hex
                if name == "tool":
                    out = Path(tmp, f"tool-{i}")
                    cmd = [sys.executable, "-m", "infonavit_fetch", "download", "--headless", "--captcha", "terminal"]
                    cmd += ["--portal-url", portal.url, "-o", str(out)]
                else:
                    out = Path(tmp, f"baseline-{i}.pdf")
                    cmd = [sys.executable, str(ROOT / "benchmarks" / "baseline.py"), portal.url, str(out), BROWSER]
                    cmd += [f"--infonavit-bench={marker}"]
                results[name].append(run_once(cmd, portal, marker))
    return results


def median(values: list[float]) -> float:
    return statistics.median(values)


def startup(repeats: int = 10) -> dict[str, float]:
    def timed(cmd: list[str]) -> float:
        samples = []
        for _ in range(repeats):
            started = time.monotonic()
            subprocess.run(cmd, capture_output=True, check=True)
            samples.append(time.monotonic() - started)
        return median(samples)

    tool = [sys.executable, "-m", "infonavit_fetch"]
    return {
        "python -c pass": timed([sys.executable, "-c", "pass"]),
        "infonavit-fetch --help": timed([*tool, "--help"]),
        "infonavit-fetch --version": timed([*tool, "--version"]),
    }


def imports_playwright(flag: str) -> bool:
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "infonavit_fetch", flag], capture_output=True, text=True, check=True
    )
    return any(line.rsplit("|", 1)[-1].strip().startswith("playwright") for line in run.stderr.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"infonavit-fetch benchmarks · {platform.platform()} · {os.cpu_count()} cores · {args.runs} runs each")
    print(f"browser: {BROWSER}\n")

    for number, delay in ((1, 0.0), (2, 1.0)):
        results = compare(args.runs, delay)
        tool = median([s.total for s in results["tool"]])
        base = median([s.total for s in results["baseline"]])
        print(f"{number}. whole download, mock delay {delay:.0f} s (median of {args.runs}, interleaved)")
        print(f"   tool     {tool:6.2f} s   runs: {' '.join(f'{s.total:.2f}' for s in results['tool'])}")
        print(f"   baseline {base:6.2f} s   runs: {' '.join(f'{s.total:.2f}' for s in results['baseline'])}")
        print(f"   ratio    {tool / base:6.3f}   (target ≤ 1.10)\n")
        if delay == 0.0:
            first = results

    figures = startup()
    print("3. start-up (median of 10)")
    for name, seconds in figures.items():
        print(f"   {name:28s} {seconds:6.3f} s")
    for flag in ("--help", "--version"):
        print(f"   {flag} imports Playwright: {'yes' if imports_playwright(flag) else 'no'}")
    print()
    tool_prompt = median([s.to_prompt for s in first["tool"]])
    base_prompt = median([s.to_prompt for s in first["baseline"]])
    print("4. command → captcha prompt on screen (median, no delay)")
    print(f"   tool     {tool_prompt:6.2f} s\n   baseline {base_prompt:6.2f} s   (launch + first page load)")
    print(f"   ratio    {tool_prompt / base_prompt:6.3f}\n")
    print("5. peak memory (max over runs, no delay)")
    for name in ("tool", "baseline"):
        own = max(s.own_peak_kib for s in first[name]) / 1024
        browser = max(s.browser_peak_kib for s in first[name]) / 1024
        print(f"   {name:8s} own process {own:6.1f} MiB   browser (all its processes) {browser:6.1f} MiB")


if __name__ == "__main__":
    main()
