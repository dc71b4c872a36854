# Runs inside the demo container (busybox sh, fed on stdin by ./build.sh demo).
processes() {  # pid ppid state name, straight from /proc (the loop runs in this shell: no extra process)
  echo "  PID  PPID STATE NAME"
  for d in /proc/[0-9]*; do
    read -r pid name state ppid rest <"$d/stat" 2>/dev/null && printf '%5s %5s %-5s %s\n' "$pid" "$ppid" "$state" "$name"
  done
}
echo "--- PID 1 is: $(tr '\0' ' ' </proc/1/cmdline)"
echo "--- the network the spec asked for (docker had given eth0 10.200.250.2 and its own default route)"
ip addr show lo | grep inet
ip addr show eth0
ip route; ip -6 route | grep -v fe80
echo "table 100:"; ip route show table 100
ping -c1 -W2 10.200.250.1 | grep "bytes from"
echo "--- hostname $(hostname); /etc/resolv.conf and /etc/hosts as written by the init:"
cat /etc/resolv.conf /etc/hosts
echo "--- the workload's capabilities: NET_ADMIN (bit 12) dropped; the init (PID 1) keeps it"
grep CapEff /proc/self/status /proc/1/status
echo "--- a child shell starts 'sleep 0.3' in the background and exits at once: the sleep is orphaned to PID 1"
sh -c 'sleep 0.3 & echo "orphan pid $!"'
sleep 0.1
processes
sleep 0.5
echo "--- 0.5 s later the orphan has exited and PID 1 has reaped it (no zombie 'Z' left)"
processes
echo "--- the workload exits with status 3"
exit 3
