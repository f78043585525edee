# Start-to-prompt time and idle RSS of swaplab on a pseudo-terminal.
import os, pty, sys, time, select, statistics, tempfile, signal
binary = sys.argv[1]; runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
times = []; rss = []
home = tempfile.mkdtemp()
for _ in range(runs):
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "XDG_STATE_HOME": home, "TERM": "xterm", "LANG": "C.UTF-8"}
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(binary, [binary], env)
    buf = b""
    while b"swaplab[sim]>" not in buf:
        r, _, _ = select.select([fd], [], [], 10)
        if not r: raise SystemExit("no prompt: %r" % buf)
        buf += os.read(fd, 4096)
    times.append(time.perf_counter() - t0)
    # idle: wait until blocked in read(2) on the tty
    for _ in range(500):
        if open(f"/proc/{pid}/syscall").read().startswith("0 "): break
        time.sleep(0.01)
    time.sleep(0.2)
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"): rss.append(int(line.split()[1]))
    os.write(fd, b"\x04")
    os.waitpid(pid, 0); os.close(fd)
print(f"{binary}: start-to-prompt median {statistics.median(times)*1000:.1f} ms "
      f"(min {min(times)*1000:.1f}, max {max(times)*1000:.1f}, n={runs}); idle VmRSS median {statistics.median(rss)} KiB")
