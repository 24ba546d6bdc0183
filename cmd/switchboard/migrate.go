package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"switchboard/config"
	"switchboard/database"
	"switchboard/migrations"
)

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("migrate: say up, down or status")
	}
	sub := args[0]
	var all bool
	var rest []string
	for _, a := range args[1:] {
		if sub == "down" && (a == "--all" || a == "-all") {
			all = true
			continue
		}
		rest = append(rest, a)
	}
	cfg, extra, err := config.Load("migrate "+sub, rest, getenv, stderr)
	if err != nil {
		return err
	}
	if len(extra) > 0 {
		return fmt.Errorf("migrate %s: unexpected argument %q", sub, extra[0])
	}
	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := migrations.New(db)
	if err != nil {
		return err
	}
	switch sub {
	case "up":
		n, err := r.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migrations\n", n)
	case "down":
		n, err := r.Down(ctx, all)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rolled back %d migrations\n", n)
	case "status":
		st, err := r.Status(ctx)
		if err != nil {
			return err
		}
		migrations.PrintStatus(stdout, st)
	default:
		return fmt.Errorf("migrate: unknown action %q: say up, down or status", sub)
	}
	return nil
}
