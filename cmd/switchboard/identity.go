package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"switchboard/accounts"
	"switchboard/app"
	"switchboard/auth"
	"switchboard/config"
	"switchboard/logging"
	"switchboard/models"
)

// openStore opens the configured database and applies pending migrations,
// as every subcommand that touches the database must.
func openStore(ctx context.Context, cfg config.Config, stderr io.Writer) (*models.Store, func(), error) {
	db, _, err := app.Open(ctx, cfg, logging.New(stderr, "text", "warn"))
	if err != nil {
		return nil, nil, err
	}
	return models.NewStore(db), func() { db.Close() }, nil
}

// userCreate is what `switchboard user create` was asked to do.
type userCreate struct {
	org, email, password, role, name string
}

func runUser(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "reset-password" {
		return runResetPassword(ctx, args[1:], getenv, stdout, stderr)
	}
	in, cfg, err := parseUserCreate(args, getenv, stderr)
	if err != nil {
		return err
	}
	store, closeDB, err := openStore(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	joined, err := accounts.New(accounts.Config{Store: store}).EnsureMember(ctx, in.org, in.org,
		accounts.Member{Email: in.email, Name: in.name, Password: in.password, Role: in.role})
	if err != nil {
		return fmt.Errorf("user create: %w", err)
	}
	if joined.CreatedOrg {
		fmt.Fprintf(stdout, "created organization %s\n", in.org)
	}
	if joined.CreatedUser {
		fmt.Fprintf(stdout, "created user %s\n", joined.User.Email)
	} else {
		fmt.Fprintf(stdout, "user %s exists: password updated\n", joined.User.Email)
	}
	fmt.Fprintf(stdout, "%s is %s of %s\n", joined.User.Email, in.role, in.org)
	return nil
}

// parseUserCreate reads and checks the flags of `user create`, naming
// every bad one.
func parseUserCreate(args []string, getenv func(string) string, stderr io.Writer) (userCreate, config.Config, error) {
	var in userCreate
	if len(args) == 0 || args[0] != "create" {
		return in, config.Config{}, errors.New("user: usage: switchboard user create --org SLUG --email EMAIL --password PASS --role owner|admin|staff\n" +
			"       switchboard user reset-password --org SLUG --email EMAIL")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&in.org, "org", "", "organization slug (created when missing)")
	fs.StringVar(&in.email, "email", "", "email address")
	fs.StringVar(&in.password, "password", "", "password (at least 10 characters)")
	fs.StringVar(&in.role, "role", "", "owner, admin or staff")
	fs.StringVar(&in.name, "name", "", "display name (optional)")
	settings := config.Bind(fs, getenv)
	if err := parseNoArgs(fs, args[1:]); err != nil {
		return in, config.Config{}, err
	}
	cfg, err := settings()
	if err != nil {
		return in, cfg, err
	}
	var problems []string
	if !models.ValidSlug(in.org) {
		problems = append(problems, "--org: must be 1–64 lower-case letters, digits, - or _")
	}
	if !strings.Contains(in.email, "@") {
		problems = append(problems, "--email: must be an email address")
	}
	if msg := auth.CheckPasswordPolicy(in.password); msg != "" {
		problems = append(problems, "--password: "+msg)
	}
	if !models.ValidRole(in.role) {
		problems = append(problems, "--role: must be owner, admin or staff")
	}
	if len(problems) > 0 {
		return in, cfg, errors.New("user create: " + strings.Join(problems, "; "))
	}
	return in, cfg, nil
}

func runAPIKey(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, cfg, err := parseAPIKeyArgs(args, getenv, stderr)
	if err != nil {
		return err
	}
	store, closeDB, err := openStore(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	svc := accounts.New(accounts.Config{Store: store})
	o, err := svc.OrganizationBySlug(ctx, a.org)
	if err != nil {
		return fmt.Errorf("apikey create: organization %q: %w", a.org, err)
	}
	key, k, err := svc.CreateAPIKey(ctx, accounts.CLI(o.ID), accounts.NewKey{Name: a.name, Role: a.role, Scopes: a.scopes, Integrations: a.integrations})
	if err != nil {
		return fmt.Errorf("apikey create: %w", err)
	}
	fmt.Fprintf(stdout, "created %s key %q for %s with scopes %s on %s (shown once; only its hash is stored):\n",
		a.role, a.name, a.org, strings.Join(k.ScopeList(), ","), keyIntegrations(k))
	fmt.Fprintln(stdout, key)
	return nil
}

// keyIntegrations names the integrations a key may execute.
func keyIntegrations(k *models.APIKey) string {
	if l := k.IntegrationList(); l != nil {
		return "integrations " + strings.Join(l, ",")
	}
	return "all integrations"
}

type apiKeyArgs struct {
	org, role, name      string
	scopes, integrations []string
}

// parseAPIKeyArgs reads and checks the flags of apikey create.
func parseAPIKeyArgs(args []string, getenv func(string) string, stderr io.Writer) (apiKeyArgs, config.Config, error) {
	var a apiKeyArgs
	if len(args) == 0 || args[0] != "create" {
		return a, config.Config{}, errors.New("apikey: usage: switchboard apikey create --org SLUG --role agent|admin --name NAME [--integrations a,b] [--scopes " + strings.Join(models.AllScopes, ",") + "]")
	}
	fs := flag.NewFlagSet("apikey create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&a.org, "org", "", "organization slug")
	fs.StringVar(&a.role, "role", "", "agent or admin")
	fs.StringVar(&a.name, "name", "", "a name to tell keys apart")
	scopes := fs.String("scopes", "", "comma-separated scopes (default: all): "+strings.Join(models.AllScopes, ","))
	integrations := fs.String("integrations", "", "comma-separated integration slugs the key may execute (default: all)")
	settings := config.Bind(fs, getenv)
	if err := parseNoArgs(fs, args[1:]); err != nil {
		return a, config.Config{}, err
	}
	cfg, err := settings()
	if err != nil {
		return a, cfg, err
	}
	a.scopes, a.integrations = accounts.SplitList(*scopes), accounts.SplitList(*integrations)
	if problems := a.problems(); len(problems) > 0 {
		return a, cfg, errors.New("apikey create: " + strings.Join(problems, "; "))
	}
	return a, cfg, nil
}

func (a apiKeyArgs) problems() []string {
	var problems []string
	if a.org == "" {
		problems = append(problems, "--org: is required")
	}
	if a.role != models.KeyRoleAgent && a.role != models.KeyRoleAdmin {
		problems = append(problems, "--role: must be agent or admin")
	}
	if strings.TrimSpace(a.name) == "" || len(a.name) > 100 {
		problems = append(problems, "--name: is required (at most 100 characters)")
	}
	for _, s := range a.scopes {
		if !slices.Contains(models.AllScopes, s) {
			problems = append(problems, "--scopes: unknown scope "+s)
		}
	}
	return problems
}
