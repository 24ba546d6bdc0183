// Package outbound is the one way Switchboard reaches external systems: a
// shared, keep-alive HTTP client whose dialer refuses loopback, private,
// link-local, CGNAT and metadata addresses at connect time (so DNS
// rebinding cannot slip past a check made earlier), unless the address is
// explicitly allowed. The address judged is the one dialled, in its plain
// form: an IPv6 zone, an IPv4-mapped, NAT64 or IPv4-compatible spelling
// cannot disguise a loopback or private host. Redirects are followed up to
// five hops, each hop dialled through the same guard, and credentials do
// not follow a redirect to another origin.
package outbound

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"time"
)

// BlockedError reports a refused destination.
type BlockedError struct {
	Host string
	IP   netip.Addr
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("outbound: destination %s (%s) is a loopback, private, link-local or metadata address; allow it with SWITCHBOARD_ALLOW_DESTINATIONS", e.Host, e.IP)
}

// IsBlocked reports whether err (anywhere in its chain) is a refused
// destination.
func IsBlocked(err error) bool {
	var b *BlockedError
	return errors.As(err, &b)
}

// blockedPrefixes are never dialled unless allowed.
var blockedPrefixes = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8",         // "this" network
		"10.0.0.0/8",        // private
		"100.64.0.0/10",     // CGNAT
		"127.0.0.0/8",       // loopback
		"169.254.0.0/16",    // link-local, cloud metadata 169.254.169.254
		"172.16.0.0/12",     // private
		"192.0.0.0/24",      // IETF protocol assignments
		"192.168.0.0/16",    // private
		"198.18.0.0/15",     // benchmarking
		"224.0.0.0/4",       // multicast
		"240.0.0.0/4",       // reserved, broadcast
		"::/128",            // unspecified
		"::1/128",           // loopback
		"fc00::/7",          // unique local
		"fe80::/10",         // link-local
		"ff00::/8",          // multicast
		"fd00:ec2::254/128", // AWS metadata over IPv6
		"64:ff9b:1::/48",    // local-use NAT64, IPv4 embedded anywhere
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// Policy decides which addresses may be dialled.
type Policy struct {
	allowPrefixes []netip.Prefix
	allowHosts    map[string]bool

	mu         sync.RWMutex
	allowPorts map[netip.AddrPort]bool
}

// AllowAddrPort lets exactly one address and port through, whatever its
// range: the demo uses it for its own sandbox, and nothing else private.
func (p *Policy) AllowAddrPort(ap netip.AddrPort) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.allowPorts == nil {
		p.allowPorts = map[netip.AddrPort]bool{}
	}
	p.allowPorts[netip.AddrPortFrom(plain(ap.Addr()), ap.Port())] = true
}

func (p *Policy) portAllowed(ap netip.AddrPort) bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.allowPorts[netip.AddrPortFrom(plain(ap.Addr()), ap.Port())]
}

// plain is the address a connection to ip reaches, as policies name it:
// without its IPv6 zone (which picks an interface, not a host; a zoned
// address is in no prefix, so it would slip past every range) and with an
// IPv4-mapped address as its IPv4 address.
func plain(ip netip.Addr) netip.Addr { return ip.WithZone("").Unmap() }

// Prefixes whose addresses carry an IPv4 address in their last 32 bits.
var (
	nat64Prefix  = netip.MustParsePrefix("64:ff9b::/96") // well-known NAT64
	compatPrefix = netip.MustParsePrefix("::/96")        // deprecated IPv4-compatible
)

// embeddedIPv4 returns the IPv4 address a NAT64 or IPv4-compatible
// address reaches.
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	if !ip.Is6() || (!nat64Prefix.Contains(ip) && !compatPrefix.Contains(ip)) {
		return netip.Addr{}, false
	}
	b := ip.As16()
	return netip.AddrFrom4([4]byte(b[12:])), true
}

// blocked reports whether a plain address is in a blocked range, itself
// or through the IPv4 address it embeds.
func blocked(ip netip.Addr) bool {
	for _, pfx := range blockedPrefixes {
		if pfx.Contains(ip) {
			return true
		}
	}
	if v4, ok := embeddedIPv4(ip); ok {
		return blocked(v4)
	}
	return false
}

// NewPolicy builds a policy from SWITCHBOARD_ALLOW_DESTINATIONS entries:
// CIDRs ("127.0.0.0/8"), single addresses, or host names.
func NewPolicy(allow []string) (*Policy, error) {
	p := &Policy{allowHosts: map[string]bool{}}
	for _, a := range allow {
		a = strings.TrimSpace(a)
		switch {
		case a == "":
		case strings.Contains(a, "/"):
			pfx, err := netip.ParsePrefix(a)
			if err != nil {
				return nil, fmt.Errorf("outbound: allow %q: %w", a, err)
			}
			p.allowPrefixes = append(p.allowPrefixes, pfx.Masked())
		default:
			if ip, err := netip.ParseAddr(a); err == nil {
				ip = plain(ip)
				p.allowPrefixes = append(p.allowPrefixes, netip.PrefixFrom(ip, ip.BitLen()))
			} else {
				p.allowHosts[strings.ToLower(a)] = true
			}
		}
	}
	return p, nil
}

// Allowed reports whether ip, reached by the name host, may be dialled.
// The allow list is matched against the plain address (an allowed
// 127.0.0.0/8 does not let 64:ff9b::7f00:1 through, which goes elsewhere);
// the blocked ranges also against the IPv4 address it embeds.
func (p *Policy) Allowed(host string, ip netip.Addr) bool {
	ip = plain(ip)
	for _, pfx := range p.allowPrefixes {
		if pfx.Contains(ip) {
			return true
		}
	}
	if p.allowHosts[strings.ToLower(host)] {
		return true
	}
	return !blocked(ip)
}

// control runs after name resolution and before connect, on the very
// address being dialled.
func (p *Policy) control(host string) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("outbound: unexpected address %q: %w", address, err)
		}
		if !p.Allowed(host, ap.Addr()) && !p.portAllowed(ap) {
			return &BlockedError{Host: host, IP: plain(ap.Addr())}
		}
		return nil
	}
}

// NewClient returns the shared client: keep-alive connections, no proxy
// from the environment, every connection checked by the policy.
func NewClient(p *Policy) *http.Client {
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: p.control(host)}
		return d.DialContext(ctx, network, addr)
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          512,
		MaxIdleConnsPerHost:   128,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: 0, // the executor's per-call timeout bounds it
	}
	return &http.Client{Transport: tr, CheckRedirect: checkRedirect}
}
