package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"switchboard/app"
	"switchboard/config"
	"switchboard/logging"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, _, err := config.Load("serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := logging.New(stdout, cfg.LogFormat, cfg.LogLevel)
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: unable to listen on %s: %w", cfg.Addr, err)
	}
	logger.Info("switchboard listening", "addr", ln.Addr().String(), "url", "http://"+browsable(ln.Addr()), "database", a.DB.Dialect().Name().String())
	return a.Serve(ctx, ln)
}

// browsable turns a listen address into one a browser can open.
func browsable(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
