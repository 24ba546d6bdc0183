package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"

	"switchboard/apperr"
	"switchboard/config"
	"switchboard/integrations/openapi"
	"switchboard/integrations/registry"
	"switchboard/models"
)

// importJob is what `switchboard import` was asked to do.
type importJob struct {
	kind, org, file string
	opt             registry.ImportOptions
}

// runImport handles `switchboard import openapi|registry --org SLUG
// --integration SLUG FILE [--dry-run] [--mode merge|replace] [--tag T]
// [--path-prefix P] [--name NAME]`; flags may come before or after FILE.
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	job, cfg, err := parseImport(args, getenv, stderr)
	if err != nil {
		return err
	}
	bar := newProgress(stdout, 4)
	bar.step("reading " + job.file)
	data, err := os.ReadFile(job.file)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if job.kind == "registry" {
		if _, err := openapi.ParseRegistry(data, job.file); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	bar.step("opening the database")
	store, closeDB, err := openStore(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	o, err := store.OrganizationBySlug(ctx, job.org)
	if err != nil {
		return fmt.Errorf("import: organization %q: %w", job.org, err)
	}
	if in, err := store.Tenant(o.ID).IntegrationBySlug(ctx, job.opt.Slug); err == nil {
		job.opt.IntegrationID = in.ID
	} else if !apperr.IsNotFound(err) {
		return err
	}
	bar.step("planning")
	res, err := registry.New(store).Import(ctx, o.ID, data, job.file, job.opt)
	if err != nil {
		return fmt.Errorf("import: %w", describe(err))
	}
	if !job.opt.DryRun {
		bar.step(fmt.Sprintf("wrote %d endpoints", len(res.Plan.Result.Endpoints)))
		_ = store.WriteAudit(ctx, models.AuditEvent{OrganizationID: &o.ID, Actor: "cli", Action: "integration_imported",
			TargetType: "integration", TargetID: fmt.Sprint(res.Integration.ID),
			Details: map[string]any{"slug": job.opt.Slug, "file": job.file, "mode": string(job.opt.Mode), "added": len(res.Plan.Added)}})
	} else {
		bar.step("dry run: nothing written")
	}
	bar.done()
	printPlan(stdout, res.Plan, res.Source, job.opt.DryRun)
	return nil
}

// parseImport reads the flags and the file argument of `import`.
func parseImport(args []string, getenv func(string) string, stderr io.Writer) (importJob, config.Config, error) {
	const usage = "import: usage: switchboard import openapi|registry --org SLUG --integration SLUG FILE [--dry-run] [--mode merge|replace] [--tag T] [--path-prefix P] [--name NAME]"
	if len(args) == 0 || (args[0] != "openapi" && args[0] != "registry") {
		return importJob{}, config.Config{}, errors.New(usage)
	}
	job := importJob{kind: args[0]}
	fs := flag.NewFlagSet("import "+job.kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&job.org, "org", "", "organization slug")
	fs.StringVar(&job.opt.Slug, "integration", "", "integration slug (created when missing)")
	fs.StringVar(&job.opt.Name, "name", "", "name of a new integration (default: the document's title)")
	fs.BoolVar(&job.opt.DryRun, "dry-run", false, "show what would change and write nothing")
	mode := fs.String("mode", "merge", "merge (keep hand edits) or replace")
	tag := fs.String("tag", "", "only operations with these tags (comma-separated)")
	fs.StringVar(&job.opt.Filter.PathPrefix, "path-prefix", "", "only operations whose path starts with this")
	settings := config.Bind(fs, getenv)
	if err := config.ParseArgs(fs, args[1:]); err != nil {
		return job, config.Config{}, err
	}
	cfg, err := settings()
	if err != nil {
		return job, cfg, err
	}
	if job.org == "" || job.opt.Slug == "" || fs.NArg() != 1 {
		return job, cfg, errors.New(usage)
	}
	job.file = fs.Arg(0)
	job.opt.Mode = openapi.Mode(*mode)
	for _, t := range strings.Split(*tag, ",") {
		if t = strings.TrimSpace(t); t != "" {
			job.opt.Filter.Tags = append(job.opt.Filter.Tags, t)
		}
	}
	return job, cfg, nil
}

// describe spells out a validation error's fields for the terminal.
func describe(err error) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return errors.New(b.String())
}

func printPlan(w io.Writer, p *openapi.Plan, src *openapi.Source, dry bool) {
	verb := "imported"
	if dry {
		verb = "would import"
	}
	fmt.Fprintf(w, "%s %s (%s, %s): %d added, %d changed, %d removed, %d unchanged\n", verb, p.Result.Slug, src.Format, p.Mode,
		len(p.Added), len(p.Changed), len(p.Removed), len(p.Unchanged))
	for _, c := range p.Removed {
		fmt.Fprintf(w, "  - %s %s %s\n", c.Function, c.Method, c.Path)
	}
	for _, c := range p.Changed {
		fmt.Fprintf(w, "  ~ %s (%s)\n", c.Function, strings.Join(c.Fields, ", "))
	}
	for _, d := range p.Dropped {
		fmt.Fprintf(w, "  dropped: %s\n", d)
	}
	for _, n := range p.Normalized {
		fmt.Fprintf(w, "  normalized: %s\n", n)
	}
	for _, d := range p.Duplicates {
		fmt.Fprintf(w, "  duplicate: %s\n", d)
	}
	for _, warn := range p.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", warn)
	}
}

// progress draws a bar of steps on a terminal and stays silent otherwise.
type progress struct {
	w     io.Writer
	total int
	n     int
	tty   bool
}

func newProgress(w io.Writer, total int) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, total: total, tty: ok && isatty.IsTerminal(f.Fd())}
}

func (p *progress) step(label string) {
	p.n++
	if !p.tty {
		return
	}
	width := 24
	fill := width * p.n / p.total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d %-40s", strings.Repeat("#", fill), strings.Repeat(".", width-fill), p.n, p.total, label)
}

func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}
