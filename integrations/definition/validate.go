package definition

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"switchboard/clock"
)

// Limits of the document's numbers.
const (
	MaxTimeout     = 10 * time.Minute
	MaxRetryDelay  = 5 * time.Minute
	MaxAttempts    = 10
	MaxPages       = 1000
	maxFunctionLen = 200
	maxNameLen     = 200
)

// Problem is one mistake in a document: Field is its place, written with
// the document's field names and indexes ("endpoints[3].params[0].in"),
// and Message says what is wrong.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// String writes "field: message".
func (p Problem) String() string {
	if p.Field == "" {
		return p.Message
	}
	return p.Field + ": " + p.Message
}

// ValidationError lists every mistake Validate found.
type ValidationError struct {
	Problems []Problem
}

// Error joins the problems into one message.
func (e *ValidationError) Error() string {
	return "definition: invalid document: " + joinProblems(e.Problems)
}

// joinProblems writes problems separated by "; ".
func joinProblems(problems []Problem) string {
	parts := make([]string, len(problems))
	for i, p := range problems {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}

var (
	slugPattern       = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)
	credentialPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)
	reservedNames     = map[string]bool{"credentials": true, "params": true, "function": true, "params_xml": true}
)

// Validate checks a document and returns a *ValidationError listing every
// problem, or nil. It checks the document as Normalize would leave it, so
// defaults may be left out and methods written in lower case; d itself is
// not changed.
func Validate(d *Document) error {
	n, err := d.Clone()
	if err != nil {
		return &ValidationError{Problems: []Problem{{Message: err.Error()}}}
	}
	n.Normalize()
	if problems := check(n); len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	return nil
}

// checker collects the problems of a normalized document.
type checker struct {
	d         *Document
	problems  []Problem
	creds     map[string]bool
	functions map[string]*Endpoint
	allParams map[string]bool
}

// check runs every check over a normalized document.
func check(d *Document) []Problem {
	c := &checker{d: d, creds: map[string]bool{}, functions: map[string]*Endpoint{}, allParams: map[string]bool{}}
	for i := range d.Endpoints {
		e := &d.Endpoints[i]
		if _, dup := c.functions[e.Function]; !dup && e.Function != "" {
			c.functions[e.Function] = e
		}
		for _, p := range e.Params {
			c.allParams[p.Name] = true
		}
	}
	c.identity()
	c.credentialFields()
	c.auth()
	c.request()
	c.policies()
	c.errorRules("error_rules", d.ErrorRules)
	c.accessWindows()
	c.endpoints()
	c.parameterMaps()
	c.sync()
	c.reference()
	return c.problems
}

// add records one problem.
func (c *checker) add(field, format string, args ...any) {
	c.problems = append(c.problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// identity checks slug, name, base URLs and test_function.
func (c *checker) identity() {
	d := c.d
	if !slugPattern.MatchString(d.Slug) {
		c.add("slug", "must be lower-case letters, digits, - or _ (1-64)")
	}
	switch {
	case strings.TrimSpace(d.Name) == "":
		c.add("name", "is required")
	case len(d.Name) > maxNameLen:
		c.add("name", "must be at most %d characters", maxNameLen)
	}
	if len(d.BaseURL) == 0 {
		c.add("base_url", "needs a production or sandbox URL")
	}
	for _, env := range slices.Sorted(maps.Keys(d.BaseURL)) {
		field := "base_url." + env
		if env != EnvProduction && env != EnvSandbox {
			c.add(field, "unknown environment (want production or sandbox)")
			continue
		}
		c.url(field, d.BaseURL[env])
	}
	if d.TestFunction != "" {
		c.function("test_function", d.TestFunction)
	}
	c.defaultEnvironment()
	c.timeZone()
}

// defaultEnvironment checks default_environment: production or sandbox,
// with a base URL for it.
func (c *checker) defaultEnvironment() {
	env := c.d.DefaultEnvironment
	switch {
	case env == "":
	case env != EnvProduction && env != EnvSandbox:
		c.add("default_environment", "must be production or sandbox")
	case strings.TrimSpace(c.d.BaseURL[env]) == "":
		c.add("default_environment", "is %s but base_url.%s is not set", env, env)
	}
}

// timeZone checks time_zone: practice (or empty), UTC or an IANA name.
func (c *checker) timeZone() {
	name := c.d.TimeZone
	if name == "" || name == ZonePractice {
		return
	}
	if _, err := clock.LoadZone(name); err != nil {
		var input *clock.InputError
		if errors.As(err, &input) {
			c.add("time_zone", "%s; or %q for the practice's own zone", input.Reason, ZonePractice)
			return
		}
		c.add("time_zone", "%v", err)
	}
}

// credentialFields checks the names of the credential fields.
func (c *checker) credentialFields() {
	for i, f := range c.d.CredentialFields {
		field := fmt.Sprintf("credential_fields[%d]", i)
		name := f.Name
		if len(f.Label) > 100 {
			c.add(field+".label", "must be at most 100 characters")
		}
		if len(f.Help) > 1000 {
			c.add(field+".help", "must be at most 1000 characters")
		}
		switch {
		case !credentialPattern.MatchString(name):
			c.add(field, "must be letters, digits or _, starting with a letter or _ (1-64)")
		case reservedNames[name]:
			c.add(field, "%q is reserved in templates", name)
		case c.creds[name]:
			c.add(field, "duplicate field %q", name)
		}
		c.creds[name] = true
	}
}

// request checks the request format, the shared body template and headers.
func (c *checker) request() {
	d := c.d
	if !oneOf(d.RequestFormat, FormatJSON, FormatForm, FormatXML) {
		c.add("request_format", "must be one of json, form, xml")
	}
	c.template("body_template", d.BodyTemplate, scope{creds: c.creds, params: c.allParams, function: true, paramsXML: true})
	c.headers("headers", d.Headers, scope{creds: c.creds, function: true})
}

// policies checks timeout, retry, rate limit, success and extract.
func (c *checker) policies() {
	d := c.d
	if d.Timeout < 0 || d.Timeout.Std() > MaxTimeout {
		c.add("timeout", "must be between 0s (the default) and %s", MaxTimeout)
	}
	if r := d.Retry; r != nil {
		if r.MaxAttempts < 1 || r.MaxAttempts > MaxAttempts {
			c.add("retry.max_attempts", "must be between 1 and %d", MaxAttempts)
		}
		c.delay("retry.initial_delay", r.InitialDelay)
		c.delay("retry.max_delay", r.MaxDelay)
		if r.MaxDelay != 0 && r.MaxDelay < r.InitialDelay {
			c.add("retry.max_delay", "must not be less than initial_delay")
		}
		for i, s := range r.RetryOn {
			c.status(fmt.Sprintf("retry.retry_on[%d]", i), s)
		}
	}
	if r := d.RateLimit; r != nil {
		if !(r.PerSecond > 0) {
			c.add("rate_limit.per_second", "must be greater than 0")
		}
		if r.Burst < 0 {
			c.add("rate_limit.burst", "must not be negative")
		}
	}
	if s := d.Success; s != nil {
		if s.Path == "" {
			c.add("success.path", "is required")
		}
		c.dotPath("success.path", s.Path)
	}
	c.dotPath("extract", d.Extract)
	c.maxResponseBytes("max_response_bytes", d.MaxResponseBytes)
}

// maxResponseBytes checks a size cap: absent, or at least one byte.
func (c *checker) maxResponseBytes(field string, n *int64) {
	if n != nil && *n < 1 {
		c.add(field, "must be at least 1 (a number of bytes)")
	}
}

// delay checks a retry delay.
func (c *checker) delay(field string, d Duration) {
	if d < 0 || d.Std() > MaxRetryDelay {
		c.add(field, "must be between 0s and %s", MaxRetryDelay)
	}
}
