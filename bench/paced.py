#!/usr/bin/env python3
"""Open-loop load at a fixed rate (what wrk cannot do): GET URL at RATE requests/s for SECONDS
over CONNECTIONS kept-alive connections. Latency is counted from each request's scheduled
time, so a slow answer also delays the ones behind it (no coordinated omission).
Prints: achieved_rps p50_ms p99_ms errors"""
import http.client
import sys
import threading
import time
import urllib.parse


def main():
    url, token, rate, seconds, conns = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    u = urllib.parse.urlsplit(url)
    path = u.path + ("?" + u.query if u.query else "")
    total = int(rate * seconds)
    start = time.monotonic() + 0.2
    latencies, errors = [], [0]
    lock = threading.Lock()

    def worker(k):
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        for i in range(k, total, conns):
            due = start + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                c.request("GET", path, headers={"Authorization": "Bearer " + token})
                r = c.getresponse()
                r.read()
                ok = r.status == 200
            except OSError:
                ok = False
                c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
            done = time.monotonic()
            with lock:
                if ok:
                    latencies.append(done - due)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    latencies.sort()
    if not latencies:
        print("0 0 0", errors[0])
        return
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print("%.0f %.2f %.2f %d" % (len(latencies) / elapsed, p(0.50), p(0.99), errors[0]))


main()
