#!/usr/bin/python3
"""Helper of bench/apply-latency.sh; standard library only.

Usage:
  apply_latency.py csv FILE.csv [--holders N]
      Write a certificate CSV for N (default 100) generated holders with valid
      GB 11643 resident ID numbers, one valid certificate each.
  apply_latency.py run URL [--holders N] [--poll-ms 20] [--setup-workers 16]
                       [--timeout 60] [--json FILE]
      Against the certdesk-server at URL (must be http://127.0.0.1:PORT): register,
      sign in and accept the notice for the N holders of the CSV (concurrently), then
      let all N apply at once (validity_days 90, scenario self_use) and poll
      GET /api/v1/annotations/{id} every --poll-ms until it is ready. Prints p50, p90,
      p99 and max of the apply→ready latency (from just before the POST to the
      response of the first poll that says "ready").

The holders are numbered 0…N-1; the same numbering makes the same ID numbers in both
subcommands.
"""

import argparse
import concurrent.futures
import http.client
import json
import math
import os
import resource
import sys
import threading
import time
import urllib.parse

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
REGIONS = ("110105", "310104", "440106", "330106", "510107", "420102", "320102", "610113")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗"
GIVEN = ("伟", "芳", "秀英", "敏", "静", "丽娟", "强", "磊", "军", "洋", "艳", "勇", "明轩", "子涵")
QUALIFICATIONS = (
    ("注册安全工程师", "化工安全", "中级", "中华人民共和国应急管理部", "AQ"),
    ("执业药师", "药学", "", "国家药品监督管理局", "YS"),
    ("一级建造师", "建筑工程", "一级", "中华人民共和国住房和城乡建设部", "JZ"),
    ("监理工程师", "交通运输工程", "", "中华人民共和国住房和城乡建设部", "JL"),
    ("注册消防工程师", "消防安全技术", "一级", "中华人民共和国应急管理部", "XF"),
)
PASSWORD = "bench-holder-password"


def id_number(i):
    first17 = "%s%04d%02d%02d%03d" % (REGIONS[i % len(REGIONS)], 1960 + i % 40,
                                      1 + i % 12, 1 + i % 28, 100 + i)
    assert len(first17) == 17
    return first17 + CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def holder_name(i):
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 3) % len(GIVEN)]


def write_csv(path, n):
    lines = ["cert_no,qualification,specialty,level,holder_name,gender,id_type,id_number,"
             "management_no,issued_on,issuer,status"]
    for i in range(n):
        q, specialty, level, issuer, prefix = QUALIFICATIONS[i % len(QUALIFICATIONS)]
        year = 2005 + i % 20
        management_no = "%04d%s%06d" % (year, REGIONS[i % len(REGIONS)], i)
        lines.append(",".join((prefix + management_no, q, specialty, level, holder_name(i),
                               "女" if i % 2 else "男", "resident_id", id_number(i),
                               management_no, "%04d-%02d-%02d" % (year, 1 + i % 12, 1 + i % 28),
                               issuer, "valid")))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


class Client:
    """One keep-alive HTTP connection, as one holder's app would have."""

    def __init__(self, host, port, timeout):
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.token = None

    def request(self, method, path, body=None, expect=(200,)):
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        try:
            self.conn.request(method, "/api/v1" + path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (http.client.HTTPException, OSError):
            # A keep-alive connection the server closed: reconnect once, for reads only.
            if method != "GET":
                raise
            self.conn.close()
            self.conn.request(method, "/api/v1" + path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        if response.status not in expect:
            raise RuntimeError("%s %s: %d %s" % (method, path, response.status,
                                                 payload[:300].decode(errors="replace")))
        return json.loads(payload) if payload else None

    def close(self):
        self.conn.close()


def set_up_holder(i, host, port, timeout):
    client = Client(host, port, timeout)
    client.request("POST", "/accounts", {"id_type": "resident_id", "id_number": id_number(i),
                                         "name": holder_name(i), "password": PASSWORD},
                   expect=(201,))
    client.token = client.request("POST", "/sessions", {"id_number": id_number(i),
                                                        "password": PASSWORD},
                                  expect=(201,))["token"]
    version = client.request("GET", "/notice")["version"]
    client.request("POST", "/notice/accept", {"version": version}, expect=(204,))
    certificates = client.request("GET", "/certificates")["certificates"]
    if len(certificates) != 1:
        raise RuntimeError("holder %d has %d certificates" % (i, len(certificates)))
    return client, certificates[0]["id"]


def apply_and_wait(client, certificate_id, barrier, poll_s, deadline_s):
    barrier.wait()
    start = time.perf_counter()
    answer = client.request("POST", "/certificates/%s/annotations" % certificate_id,
                            {"scenario": "self_use", "validity_days": 90}, expect=(202,))
    posted = time.perf_counter()
    annotation_id = answer["annotation"]["id"]
    polls = 0
    while True:
        if time.perf_counter() - start > deadline_s:
            raise RuntimeError("annotation %s not ready after %.0f s" % (annotation_id, deadline_s))
        time.sleep(poll_s)
        polls += 1
        state = client.request("GET", "/annotations/%s" % annotation_id)["state"]
        if state == "ready":
            return time.perf_counter() - start, posted - start, polls
        if state != "pending":
            raise RuntimeError("annotation %s is %s" % (annotation_id, state))


def percentile(sorted_values, p):
    """Nearest rank."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def run(args):
    url = urllib.parse.urlsplit(args.url)
    if url.scheme != "http" or url.hostname != "127.0.0.1":
        sys.exit("apply_latency.py: only http://127.0.0.1:PORT is allowed")
    n = args.holders

    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.setup_workers) as pool:
        holders = list(pool.map(lambda i: set_up_holder(i, url.hostname, url.port, args.timeout),
                                range(n)))
    setup_s = time.perf_counter() - t0

    barrier = threading.Barrier(n)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(apply_and_wait, client, certificate_id, barrier,
                               args.poll_ms / 1000, args.timeout)
                   for client, certificate_id in holders]
        results = [f.result() for f in futures]
    wall_s = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    for client, _ in holders:
        client.close()

    latencies = sorted(r[0] * 1000 for r in results)
    posts = sorted(r[1] * 1000 for r in results)
    polls = sum(r[2] for r in results)
    client_cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    summary = {
        "holders": n,
        "setup_s": round(setup_s, 2),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p90_ms": round(percentile(latencies, 90), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(latencies[-1], 1),
        "min_ms": round(latencies[0], 1),
        "post_p50_ms": round(percentile(posts, 50), 1),
        "post_max_ms": round(posts[-1], 1),
        "polls": polls,
        "wall_s": round(wall_s, 2),
        "client_cpu_s": round(client_cpu, 2),
    }
    print("setup of %d holders: %.1f s" % (n, setup_s))
    print("apply→ready ms: p50 %.0f  p90 %.0f  p99 %.0f  max %.0f  (min %.0f)"
          % (summary["p50_ms"], summary["p90_ms"], summary["p99_ms"], summary["max_ms"],
             summary["min_ms"]))
    print("POST alone ms: p50 %.0f  max %.0f;  %d polls;  phase %.2f s;  client CPU %.2f s"
          % (summary["post_p50_ms"], summary["post_max_ms"], polls, wall_s, client_cpu))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("csv")
    p.add_argument("file")
    p.add_argument("--holders", type=int, default=100)
    p = sub.add_parser("run")
    p.add_argument("url")
    p.add_argument("--holders", type=int, default=100)
    p.add_argument("--poll-ms", type=float, default=20)
    p.add_argument("--setup-workers", type=int, default=16)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--json")
    args = parser.parse_args()
    if not 1 <= args.holders <= 900:
        sys.exit("apply_latency.py: --holders must be 1–900")
    if args.command == "csv":
        write_csv(args.file, args.holders)
    else:
        run(args)


if __name__ == "__main__":
    main()
