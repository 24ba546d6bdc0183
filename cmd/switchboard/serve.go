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
	cfg, extra, err := config.Load("serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	if len(extra) > 0 {
		return fmt.Errorf("serve: unexpected argument %q (serve takes flags only)", extra[0])
	}
	logger := logging.New(stdout, cfg.LogFormat, cfg.LogLevel)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: unable to listen on %s: %w", cfg.Addr, err)
	}
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		ln.Close()
		return err
	}
	defer a.Close()
	if cfg.Demo {
		// The sandbox has a loopback listener of its own (a.SandboxURL).
		port := ln.Addr().(*net.TCPAddr).Port
		login, err := a.SeedDemo(ctx)
		if err != nil {
			ln.Close()
			return err
		}
		fmt.Fprintf(stdout, "Demo login: %s / %s\n", login.Email, login.Password)
		fmt.Fprintf(stdout, "Open http://localhost:%d and sign in; Open Dental and Cloud9 point at the built-in sandbox.\n", port)
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
