// GoNetlinkBench: the comparator for tests/Benchmarks/NetlinkBench, doing the same work with
// github.com/vishvananda/netlink (Debian's golang-github-vishvananda-netlink-dev; built by bench.sh with
// GOPATH=/usr/share/gocode GO111MODULE=off). Same usage and output as NetlinkBench:
//
//	GoNetlinkBench NETNS_PATH LINK OPERATION [COUNT]
//	  add-addresses-each N | add-routes-each N   one timed run, open to close; prints "<milliseconds> <objects>"
//	  list-addresses | list-routes                one timed open + dump + close; prints "<milliseconds> <objects>"
//
// The library has no batch API: each add is one request and its ACK, as with NetlinkBench's "-each".
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: GoNetlinkBench NETNS_PATH LINK OPERATION [COUNT]")
		os.Exit(2)
	}
	namespacePath, linkName, operation := os.Args[1], os.Args[2], os.Args[3]
	count := 1
	if len(os.Args) > 4 {
		n, err := strconv.Atoi(os.Args[4])
		if err != nil {
			fail(err)
		}
		count = n
	}
	var work func(h *netlink.Handle, link netlink.Link) (int, error)
	switch operation {
	case "add-addresses-each":
		work = func(h *netlink.Handle, link netlink.Link) (int, error) {
			for i := 0; i < count; i++ {
				if err := h.AddrAdd(link, &netlink.Addr{IPNet: host(nth(1, i))}); err != nil {
					return i, err
				}
			}
			return count, nil
		}
	case "add-routes-each":
		work = func(h *netlink.Handle, link netlink.Link) (int, error) {
			for i := 0; i < count; i++ {
				// Scope link, as ip and NetlinkBench give a route without a gateway.
				route := &netlink.Route{LinkIndex: link.Attrs().Index, Dst: host(nth(100, i)), Scope: netlink.SCOPE_LINK}
				if err := h.RouteAdd(route); err != nil {
					return i, err
				}
			}
			return count, nil
		}
	case "list-addresses":
		work = func(h *netlink.Handle, link netlink.Link) (int, error) {
			addresses, err := h.AddrList(link, netlink.FAMILY_ALL)
			return len(addresses), err
		}
	case "list-routes":
		work = func(h *netlink.Handle, _ netlink.Link) (int, error) {
			routes, err := h.RouteList(nil, netlink.FAMILY_V4)
			return len(routes), err
		}
	default:
		fmt.Fprintf(os.Stderr, "GoNetlinkBench: unknown operation %s\n", operation)
		os.Exit(2)
	}

	// The clock runs from before the namespace is opened to after the handle is closed, as NetlinkBench's.
	start := time.Now()
	ns, err := netns.GetFromPath(namespacePath)
	if err != nil {
		fail(err)
	}
	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		fail(err)
	}
	link, err := h.LinkByName(linkName)
	if err != nil {
		fail(err)
	}
	objects, err := work(h, link)
	if err != nil {
		fail(err)
	}
	h.Delete()
	ns.Close()
	elapsed := time.Since(start)
	fmt.Printf("%.3f %d\n", float64(elapsed.Nanoseconds())/1e6, objects)
}

// nth is the same sequence NetlinkBench and bench.sh's ip batches use: 250 hosts per /24 from 10.200.BASE.1.
func nth(base, i int) net.IP { return net.IPv4(10, 200, byte(base+i/250), byte(1+i%250)) }

func host(ip net.IP) *net.IPNet { return &net.IPNet{IP: ip.To4(), Mask: net.CIDRMask(32, 32)} }

func fail(err error) {
	fmt.Fprintf(os.Stderr, "GoNetlinkBench: %v\n", err)
	os.Exit(1)
}
