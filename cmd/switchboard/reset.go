package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"

	"switchboard/accounts"
	"switchboard/config"
	"switchboard/models"
)

// runResetPassword handles `switchboard user reset-password --org ORG
// --email EMAIL`: it prints a one-time password-reset link of the member
// (expiring, single use, audited as the cli), like the owner's button on
// /users.
func runResetPassword(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user reset-password", flag.ContinueOnError)
	fs.SetOutput(stderr)
	org := fs.String("org", "", "organization slug")
	email := fs.String("email", "", "the member's email address")
	settings := config.Bind(fs, getenv)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	cfg, err := settings()
	if err != nil {
		return err
	}
	var problems []string
	if !models.ValidSlug(*org) {
		problems = append(problems, "--org: must be 1–64 lower-case letters, digits, - or _")
	}
	if !strings.Contains(*email, "@") {
		problems = append(problems, "--email: must be an email address")
	}
	if len(problems) > 0 {
		return errors.New("user reset-password: " + strings.Join(problems, "; "))
	}
	store, closeDB, err := openStore(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	token, err := accounts.New(accounts.Config{Store: store}).IssuePasswordResetByEmail(ctx, *org, *email)
	if err != nil {
		return fmt.Errorf("user reset-password: %w", err)
	}
	fmt.Fprintf(stdout, "password-reset link for %s (works once, for 24 hours):\n%s/password-reset/%s\n", *email, baseURL(cfg), token)
	return nil
}

// baseURL is the address the server listens on, as a browser reaches it
// on this machine.
func baseURL(cfg config.Config) string {
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return "http://localhost:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
