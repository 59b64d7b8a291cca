"""A network lab of namespaces, for calls beyond loopback (#23).

    pub        "the internet": a bridge, 10.77.0.1/24, in the test's own namespace (the
               one tests/netns-run made), so that the lobby and coturn run there and the
               test reaches them as it reaches anything
    nat1 nat2  home routers: wan 10.77.0.11 / .12 on the bridge, lan 192.168.1.1 / 2.1
    c1 c2      one computer behind each: 192.168.1.2 / 192.168.2.2

Each router's nftables rules make one kind of NAT (../shared/notes/network-lab.md has
the table this follows, checked on this kernel):

    full       one-to-one snat + dnat: endpoint-independent mapping and filtering
    cone       masquerade: endpoint-independent mapping, address-and-port filtering
               (port-restricted cone)
    symmetric  masquerade fully-random: a new mapping per destination
    no-udp     masquerade, and outgoing UDP dropped: only TCP leaves (TURN over TCP)

`Lab.delay(ms)` lengthens the links: each router holds every packet it forwards
(an NFQUEUE program; this kernel has no netem).

Every address exists only inside the namespaces made here, and `Lab.stop()` deletes them
(with their veth pairs). Namespace names carry the test's process id, so two tests never
share one. Needs root (CI runs as root) and nft from Debian's nftables."""
import os
import subprocess

from harness import Failure

PUB_ADDRESS = "10.77.0.1"
NAT_KINDS = ("full", "cone", "symmetric", "no-udp")


def _nat_rules(kind, i):
    wan, host = f"10.77.0.1{i}", f"192.168.{i}.2"
    forward = """
table inet filter {
  chain forward {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    %s
    iifname "lan" accept
  }
}""" % ('iifname "lan" meta l4proto udp drop' if kind == "no-udp" else "")
    if kind == "full":
        return f"""
table ip nat {{
  chain pre {{ type nat hook prerouting priority dstnat; iifname "wan" ip daddr {wan} dnat to {host}; }}
  chain post {{ type nat hook postrouting priority srcnat; oifname "wan" ip saddr {host} snat to {wan}; }}
}}"""
    masquerade = "masquerade fully-random" if kind == "symmetric" else "masquerade"
    return f"""
table ip nat {{
  chain post {{
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" {masquerade}
  }}
}}""" + forward


class Lab:
    made = 0   # labs made by this process: each has names of its own
    def __init__(self, nat1, nat2):
        if nat1 not in NAT_KINDS or nat2 not in NAT_KINDS:
            raise ValueError(f"NAT kinds are {NAT_KINDS}")
        Lab.made += 1
        self.prefix = f"sc{os.getpid() % 100000}x{Lab.made}"
        self.names = {n: f"{self.prefix}-{n}" for n in ("nat1", "nat2", "c1", "c2")}
        self.bridge = f"{self.prefix}br"
        self.void = f"{self.prefix}void"
        self.links = []
        self.procs = []   # programs running in the lab's namespaces (delay)
        try:
            self._build((nat1, nat2))
        except Exception:
            self.stop()
            raise

    def _run(self, *args, input=None):
        r = subprocess.run(args, capture_output=True, text=True, input=input)
        if r.returncode != 0:
            raise Failure(f"lab: {' '.join(args)}: {r.stderr.strip()}")

    def ns(self, name, *args, input=None):
        if name == "pub":
            self._run(*args, input=input)
        else:
            self._run("ip", "netns", "exec", self.names[name], *args, input=input)

    def _build(self, kinds):
        links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True,
                               text=True).stdout.splitlines()
        names = [line.split(":")[1].strip().split("@")[0] for line in links]
        if any(name != "lo" and not name.startswith(self.prefix) for name in names):
            raise Failure("the lab's bridge belongs in a test's own namespace, which holds "
                          "only lo: run under tests/netns-run")
        for name in self.names.values():
            self._run("ip", "netns", "add", name)
        for n in self.names:
            self.ns(n, "ip", "link", "set", "lo", "up")
        self._run("ip", "link", "add", self.bridge, "type", "bridge")
        self._run("ip", "addr", "add", f"{PUB_ADDRESS}/24", "dev", self.bridge)
        self._run("ip", "link", "set", self.bridge, "up")
        # The internet's routing, in small: a public host (coturn, the lobby) has a
        # default route, and what it sends to a home's private address (a host
        # candidate) is lost somewhere on the way, silently.  Without the route the
        # kernel answers "network is unreachable", and coturn ends the whole
        # allocation on that error, which no real relay ever sees.
        # (No dummy device in this kernel: a veth pair without ARP, whose far end
        # takes the packets and, forwarding off, drops them.)
        self._run("ip", "link", "add", self.void, "type", "veth", "peer", "name",
                  f"{self.void}2")
        for end in (self.void, f"{self.void}2"):
            self._run("ip", "link", "set", end, "arp", "off", "up")
        self._run("ip", "route", "add", "default", "dev", self.void)
        for i, kind in ((1, kinds[0]), (2, kinds[1])):
            wan, bridge_end = f"{self.prefix}w{i}", f"{self.prefix}b{i}"
            lan, host_end = f"{self.prefix}l{i}", f"{self.prefix}h{i}"
            self._run("ip", "link", "add", wan, "type", "veth", "peer", "name", bridge_end)
            self._run("ip", "link", "set", wan, "netns", self.names[f"nat{i}"])
            self._run("ip", "link", "set", bridge_end, "master", self.bridge)
            self._run("ip", "link", "set", bridge_end, "up")
            self.ns(f"nat{i}", "ip", "link", "set", wan, "name", "wan")
            self.ns(f"nat{i}", "ip", "addr", "add", f"10.77.0.1{i}/24", "dev", "wan")
            self.ns(f"nat{i}", "ip", "link", "set", "wan", "up")
            self._run("ip", "link", "add", lan, "type", "veth", "peer", "name", host_end)
            self._run("ip", "link", "set", lan, "netns", self.names[f"nat{i}"])
            self._run("ip", "link", "set", host_end, "netns", self.names[f"c{i}"])
            self.ns(f"nat{i}", "ip", "link", "set", lan, "name", "lan")
            self.ns(f"nat{i}", "ip", "addr", "add", f"192.168.{i}.1/24", "dev", "lan")
            self.ns(f"nat{i}", "ip", "link", "set", "lan", "up")
            self.ns(f"c{i}", "ip", "link", "set", host_end, "name", "eth0")
            self.ns(f"c{i}", "ip", "addr", "add", f"192.168.{i}.2/24", "dev", "eth0")
            self.ns(f"c{i}", "ip", "link", "set", "eth0", "up")
            self.ns(f"c{i}", "ip", "route", "add", "default", "via", f"192.168.{i}.1")
            self.ns(f"nat{i}", "ip", "route", "add", "default", "via", PUB_ADDRESS)
            self.ns(f"nat{i}", "sysctl", "-qw", "net.ipv4.ip_forward=1")
            self.ns(f"nat{i}", "nft", "-f", "-", input=_nat_rules(kind, i))

    def delay(self, ms, nfq_delay):
        """Every packet a home router forwards (both ways) waits MS milliseconds there:
        NFQUEUE to NFQ_DELAY (tests/tools/nfq-delay.c) in each router's namespace. A round
        trip between the two clients then takes 4 × MS more, one between a client and
        the public net 2 × MS."""
        for i in (1, 2):
            proc = subprocess.Popen([*self.prefix_for(f"nat{i}"), nfq_delay, "0", str(ms)],
                                    stdout=subprocess.PIPE, text=True)
            self.procs.append(proc)
            if proc.stdout.readline().strip() != "ready":
                raise Failure(f"nfq-delay in nat{i} did not start")
            self.ns(f"nat{i}", "iptables", "-t", "mangle", "-A", "FORWARD", "-j", "NFQUEUE",
                    "--queue-num", "0", "--queue-bypass")

    def prefix_for(self, name):
        """The command prefix that runs a program in namespace NAME."""
        return ["ip", "netns", "exec", self.names[name]]

    def stop(self):
        for proc in self.procs:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        # The pairs' ends in this namespace first: deleting one end of a veth pair takes
        # the other at once, where a namespace's own links go some time after it does.
        for i in (1, 2):
            subprocess.run(["ip", "link", "del", f"{self.prefix}b{i}"], capture_output=True)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)
        subprocess.run(["ip", "link", "del", self.void], capture_output=True)
        for name in self.names.values():
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
