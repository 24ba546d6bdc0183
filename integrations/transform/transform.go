// Package transform holds the named, chainable value transforms that
// parameter maps apply on the way to and from an upstream.
//
// A chain is written as steps joined by "|"; a step's argument follows the
// first ":" of the step, so date layouts may contain colons themselves:
//
//	trim|format_date:2006-01-02 15:04:05
//
// Transforms are pure functions over JSON-like values (nil, string, bool,
// float64, int and friends, json.Number). They never run arbitrary code, and
// an unknown name or a bad argument is refused by Compile, that is when a
// definition is saved, not when it runs. Arguments cannot contain "|".
package transform

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// fn is one compiled step: it turns a value into another or says why it
// cannot.
type fn func(v any) (any, error)

// zfn is a step that depends on the call it runs in (the upstream's zone).
type zfn func(v any, env Env) (any, error)

// Env is what a chain knows of the call it runs in.
type Env struct {
	// Zone is the zone the upstream speaks: format_datetime writes instants
	// in it and reads date-times without an offset as being in it. Nil
	// means UTC.
	Zone *time.Location
	// Refs translates record ids for external_ref (see RefTranslator);
	// nil leaves ids as they are (the caller already speaks the
	// upstream's ids, as the syncer does).
	Refs RefTranslator
	// Out says the chain reads an answer (external to internal) rather
	// than writes a request.
	Out bool
}

// zone returns env.Zone, UTC when unset.
func (env Env) zone() *time.Location {
	if env.Zone == nil {
		return time.UTC
	}
	return env.Zone
}

// builder compiles a step's argument into its function. hasArg tells
// "name" from "name:" (an empty argument).
type builder func(arg string, hasArg bool) (fn, error)

// registry lists every transform by name.
var registry = map[string]builder{
	"rename":      buildRename,
	"format_date": buildFormatDate,
	"clean_phone": noArg(cleanPhone),
	"e164":        noArg(e164),
	"upper":       noArg(upper),
	"lower":       noArg(lower),
	"title":       noArg(title),
	"trim":        noArg(trim),
	"default":     buildDefault,
	"to_int":      noArg(toInt),
	"to_string":   noArg(toStringValue),
	"to_bool":     noArg(toBool),
	"map":         buildMap,
	"repeat":      buildRepeat,
	"wrap":        buildWrap,
	"unwrap":      buildUnwrap,
	"list":        noArg(list),
	"first":       noArg(first),
}

// zonedRegistry lists the transforms that depend on the call's Env.
var zonedRegistry = map[string]func(arg string, hasArg bool) (zfn, error){
	"format_datetime": buildFormatDateTime,
	"external_ref":    buildExternalRef,
}

// step is one link of a chain.
type step struct {
	name string
	run  zfn
}

// Chain is a compiled transform chain. The zero Chain is the identity.
type Chain struct {
	expr  string
	steps []step
}

// Compile parses a chain expression such as "trim|format_date:2006-01-02".
// An empty (or all-blank) expression gives the identity chain. An unknown
// name, an empty step or a bad argument is an error naming the step.
func Compile(expr string) (Chain, error) {
	if strings.TrimSpace(expr) == "" {
		return Chain{expr: expr}, nil
	}
	parts := strings.Split(expr, "|")
	steps := make([]step, 0, len(parts))
	for _, part := range parts {
		s, err := compileStep(part)
		if err != nil {
			return Chain{}, err
		}
		steps = append(steps, s)
	}
	return Chain{expr: expr, steps: steps}, nil
}

// compileStep compiles one "name" or "name:argument" step.
func compileStep(part string) (step, error) {
	text := strings.TrimSpace(part)
	if text == "" {
		return step{}, errors.New("transform: empty step (two \"|\" in a row, or a \"|\" at an end)")
	}
	name, arg, hasArg := strings.Cut(text, ":")
	name = strings.TrimSpace(name)
	var run zfn
	var err error
	if build, ok := registry[name]; ok {
		var plain fn
		plain, err = build(arg, hasArg)
		run = func(v any, _ Env) (any, error) { return plain(v) }
	} else if zoned, ok := zonedRegistry[name]; ok {
		run, err = zoned(arg, hasArg)
	} else {
		return step{}, fmt.Errorf("transform: unknown transform %q", name)
	}
	if err != nil {
		return step{}, fmt.Errorf("transform: %s %w", name, err)
	}
	return step{name: name, run: run}, nil
}

// Apply runs the chain's steps in order in UTC (ApplyIn with an empty
// Env). The error names the failing transform and the value it could not
// handle.
func (c Chain) Apply(v any) (any, error) { return c.ApplyIn(Env{}, v) }

// ApplyIn runs the chain's steps in order within env (the upstream's zone).
// The error names the failing transform and the value it could not handle.
func (c Chain) ApplyIn(env Env, v any) (any, error) {
	for _, s := range c.steps {
		out, err := s.run(v, env)
		if err != nil {
			return nil, fmt.Errorf("transform: %s: %w", s.name, err)
		}
		v = out
	}
	return v, nil
}

// String returns the expression the chain was compiled from.
func (c Chain) String() string { return c.expr }

// IsZero reports whether the chain has no steps, so Apply returns its
// input unchanged.
func (c Chain) IsZero() bool { return len(c.steps) == 0 }

// Names returns the names of the known transforms, sorted.
func Names() []string {
	names := make([]string, 0, len(registry)+len(zonedRegistry))
	for name := range registry {
		names = append(names, name)
	}
	for name := range zonedRegistry {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// noArg adapts a transform that takes no argument.
func noArg(f fn) builder {
	return func(_ string, hasArg bool) (fn, error) {
		if hasArg {
			return nil, errors.New("takes no argument")
		}
		return f, nil
	}
}

// buildRename accepts an optional argument (the new name, for the reader's
// benefit): the renaming itself is done by the parameter map.
func buildRename(string, bool) (fn, error) {
	return func(v any) (any, error) { return v, nil }, nil
}

// buildDefault replaces nil and "" by its argument.
func buildDefault(arg string, hasArg bool) (fn, error) {
	if !hasArg {
		return nil, errors.New("needs a value, e.g. default:Unknown")
	}
	return func(v any) (any, error) {
		if v == nil || v == "" {
			return arg, nil
		}
		return v, nil
	}, nil
}

// buildWrap compiles "wrap:<key>": a value becomes the object {key: value}
// (Google Calendar takes a time as {"dateTime": "…"}); nil and "" stay.
func buildWrap(arg string, hasArg bool) (fn, error) {
	if !hasArg || strings.TrimSpace(arg) == "" {
		return nil, errors.New("needs a key, e.g. wrap:dateTime")
	}
	return func(v any) (any, error) {
		if v == nil || v == "" {
			return v, nil
		}
		return map[string]any{arg: v}, nil
	}, nil
}

// buildUnwrap compiles "unwrap:<key>", wrap's way back: an object gives
// its key's value (Google Calendar's {"dateTime": "…"} gives the
// date-time); an object without the key gives nil, and other values stay.
func buildUnwrap(arg string, hasArg bool) (fn, error) {
	if !hasArg || strings.TrimSpace(arg) == "" {
		return nil, errors.New("needs a key, e.g. unwrap:dateTime")
	}
	return func(v any) (any, error) {
		if m, ok := v.(map[string]any); ok {
			return m[arg], nil
		}
		return v, nil
	}, nil
}

// first is an array's first item (nil for an empty array); other values
// stay (Google Calendar's attendees give the first attendee).
func first(v any) (any, error) {
	if a, ok := v.([]any); ok {
		if len(a) == 0 {
			return nil, nil
		}
		return a[0], nil
	}
	return v, nil
}

// list puts a value in a one-item array (nil and "" stay).
func list(v any) (any, error) {
	if v == nil || v == "" {
		return v, nil
	}
	return []any{v}, nil
}

// buildMap compiles "a=b,c=d": a value whose text is a key becomes that
// key's value; other values pass through unchanged.
func buildMap(arg string, hasArg bool) (fn, error) {
	if !hasArg || strings.TrimSpace(arg) == "" {
		return nil, errors.New("needs pairs, e.g. map:M=Male,F=Female")
	}
	table := make(map[string]string)
	for pair := range strings.SplitSeq(arg, ",") {
		key, val, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("pair %q needs the form key=value", strings.TrimSpace(pair))
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if _, dup := table[key]; dup {
			return nil, fmt.Errorf("lists key %q twice", key)
		}
		table[key] = val
	}
	return func(v any) (any, error) {
		if v == nil {
			return nil, nil
		}
		text, ok := scalarText(v)
		if !ok {
			return v, nil
		}
		if out, found := table[text]; found {
			return out, nil
		}
		return v, nil
	}, nil
}
