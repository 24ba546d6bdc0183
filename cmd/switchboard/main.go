// Command switchboard is the integration hub: `serve` runs the web app and
// its workers; the other subcommands operate on the same database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"switchboard/buildinfo"
	"syscall"

	"switchboard/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "switchboard:", err)
		}
		os.Exit(1)
	}
}

const usage = `Usage: switchboard <command> [flags]

Commands:
  serve [--demo]                 run the web app, the JSON API and the sync workers
  migrate up|down|status         apply, roll back (last group; --all for every one) or list migrations
  user create --org SLUG --email EMAIL --password PASS --role owner|admin|staff
                                 create a user (and the organization when missing)
  apikey create --org SLUG --role agent|admin --name NAME
                                 create an API key; the key is the last line printed
  import openapi|registry --org SLUG --integration SLUG FILE [--dry-run] [--mode merge|replace] [--catalog ENTRY]
                                 import endpoints from an OpenAPI 3 / Swagger 2 document or a registry file
                                 (also the original system's unified_registry.json); flags may follow FILE
  catalog list                   list the built-in integration definitions
  secrets rotate [--new-key B64] re-encrypt every stored credential under a new secret key
  version                        print the version, commit and Go version (also --version)
  help                           show this text

Every command reads the same settings (flag, then environment, then default);
run "switchboard serve -h" to list them.
`

// run dispatches a subcommand. It holds all wiring so that main stays a
// shell around it and tests can call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, getenv, stdout, stderr)
	case "user":
		return runUser(ctx, rest, getenv, stdout, stderr)
	case "apikey":
		return runAPIKey(ctx, rest, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, rest, getenv, stdout, stderr)
	case "catalog":
		return runCatalog(rest, stdout)
	case "secrets":
		return runSecrets(ctx, rest, getenv, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, buildinfo.Get())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// parseNoArgs parses a subcommand's flags (anywhere among its arguments)
// and refuses positional arguments, which it takes none of.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := config.ParseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q (this command takes flags only)", fs.Name(), fs.Arg(0))
	}
	return nil
}
