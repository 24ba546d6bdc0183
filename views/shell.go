package views

import "context"

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	// Kind is success, error, warning or info.
	Kind    string
	Message string
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Label  string
	Href   string
	Active bool
	// Badge, when not empty, is shown beside the label (an open-error count).
	Badge string
}

// OrgChoice is an organization the current user may switch to.
type OrgChoice struct {
	ID      int64
	Name    string
	Current bool
}

// Shell is what every page of the app shell needs: who is signed in, the
// CSRF token, the navigation and the flashes. Handlers put it in the request
// context; layouts and components read it from there.
type Shell struct {
	Title     string
	UserEmail string
	UserName  string
	OrgName   string
	Role      string
	CSRFToken string
	Nav       []NavItem
	Orgs      []OrgChoice
	Flashes   []Flash
	// Demo marks the demo deployment (a banner explains the sandbox).
	Demo bool
	// TimeZoneUnset asks, with a banner, for the practice's time zone.
	TimeZoneUnset bool
	// CanEditSettings: the user may open /settings (owners and admins).
	CanEditSettings bool
	// URI is the path and query of the page shown, which its live parts
	// poll (components.Live).
	URI string
}

type shellKey struct{}

// WithShell returns ctx carrying s.
func WithShell(ctx context.Context, s Shell) context.Context {
	return context.WithValue(ctx, shellKey{}, s)
}

// ShellFrom returns the Shell in ctx (the zero Shell when none).
func ShellFrom(ctx context.Context) Shell {
	s, _ := ctx.Value(shellKey{}).(Shell)
	return s
}

// SignedIn reports whether a user is signed in.
func (s Shell) SignedIn() bool { return s.UserEmail != "" }
