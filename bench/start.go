package main

import (
	"context"
	"net/http"
	"net/url"
	"runtime"
)

// Target names as the table shows them.
const (
	proxyName       = "httputil.ReverseProxy"
	nginxName       = "nginx proxy_pass"
	switchboardName = "Switchboard POST /api/integrations/{provider}"
)

// live is a started target.
type live struct {
	t      *target
	res    *Result
	client *http.Client
	// finish records what is read once the rounds are over (memory).
	finish func()
	// stop stops the target's servers.
	stop func()
}

// startTargets starts every selected target; the report gets a result
// for each target, skipped or failed ones included.
func startTargets(ctx context.Context, o Options, upstream string, rep *Report) []*live {
	steps := []struct {
		key, name string
		start     func() (*live, error)
	}{
		{"a", "direct", func() (*live, error) { return newLive(getPatient("a", "direct", upstream), o), nil }},
		{"b", proxyName, func() (*live, error) { return startProxy(o, upstream) }},
		{"c", nginxName, func() (*live, error) { return startNginxTarget(ctx, o, upstream, rep) }},
		{"d", switchboardName, func() (*live, error) { return startSwitchboardTarget(ctx, o, upstream, rep) }},
	}
	var lives []*live
	for _, s := range steps {
		res := &Result{Key: s.key, Name: s.name}
		rep.Results = append(rep.Results, res)
		switch {
		case !o.wants(s.key):
			res.Skipped = "not selected (-targets)"
			continue
		case s.key == "c" && o.SkipNginx:
			res.Skipped = "skipped (-skip-nginx)"
			continue
		case s.key == "c" && findNginx() == "":
			res.Skipped = "not installed"
			continue
		}
		l, err := s.start()
		if err != nil {
			res.Err = err
			continue
		}
		l.res = res
		lives = append(lives, l)
	}
	return lives
}

func newLive(t *target, o Options) *live {
	c := newClient(o.Concurrency)
	return &live{t: t, client: c, finish: func() {}, stop: c.CloseIdleConnections}
}

func startProxy(o Options, upstream string) (*live, error) {
	h, err := reverseProxy(upstream)
	if err != nil {
		return nil, err
	}
	s, err := serve(h)
	if err != nil {
		return nil, err
	}
	l := newLive(getPatient("b", proxyName, s.URL), o)
	l.stop = func() {
		l.client.CloseIdleConnections()
		s.Close()
	}
	return l, nil
}

func startNginxTarget(ctx context.Context, o Options, upstream string, rep *Report) (*live, error) {
	u, err := url.Parse(upstream)
	if err != nil {
		return nil, err
	}
	n, err := startNginx(ctx, findNginx(), u.Host)
	if err != nil {
		return nil, err
	}
	rep.NginxVersion = n.Version
	t := getPatient("c", nginxName, n.URL)
	t.externalCPU = n.CPU
	l := newLive(t, o)
	l.finish = func() {
		m := n.Memory()
		rep.Nginx = &m
	}
	l.stop = func() {
		l.client.CloseIdleConnections()
		if err := n.Close(); err != nil && o.Progress != nil {
			progress(o, "(c) %v", err)
		}
	}
	return l, nil
}

func startSwitchboardTarget(ctx context.Context, o Options, upstream string, rep *Report) (*live, error) {
	runtime.GC()
	rep.BeforeSwitchboard = procMemory("self")
	sb, err := startSwitchboard(ctx, upstream, o.LogLevel)
	if err != nil {
		return nil, err
	}
	l := newLive(sb.target("d", switchboardName), o)
	l.finish = func() {
		rep.AfterSwitchboard = procMemory("self")
		rep.DroppedCalls = sb.DroppedCalls()
	}
	l.stop = func() {
		l.client.CloseIdleConnections()
		sb.Close()
	}
	return l, nil
}
