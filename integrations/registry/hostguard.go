package registry

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// ConfirmField is the name a request confirms a credential-bearing host
// change under (a query parameter of the API, a box on the settings page).
const ConfirmField = "confirm_credentials_host"

// HostChange is a request's stand on moving an integration's stored
// credentials to another host: Confirmed lets the change through, and
// Changed then names the fields whose host changed, for the audit log.
type HostChange struct {
	Confirmed bool
	Changed   []string
}

type hostChangeKey struct{}

// WithHostChange carries hc into the writes of ctx.
func WithHostChange(ctx context.Context, hc *HostChange) context.Context {
	return context.WithValue(ctx, hostChangeKey{}, hc)
}

// credentialHosts are the places of a document that receive the stored
// credentials, each with the environment whose credential it receives
// ("" for either), and the origin (scheme://host:port) it names.
func credentialHosts(doc *definition.Document) map[string][2]string {
	out := map[string][2]string{}
	for env, u := range doc.BaseURL {
		out["base_url."+env] = [2]string{env, origin(u)}
	}
	out["auth.token_url"] = [2]string{"", origin(doc.Auth.TokenURL)}
	out["auth.auth_url"] = [2]string{"", origin(doc.Auth.AuthURL)}
	return out
}

func origin(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// checkCredentialHosts refuses (422, naming the field) to point a place
// that receives stored credentials at another host, unless the request
// confirmed it (ctx's HostChange), which then learns the fields changed.
// Credentials follow their host: without this, an admin could change
// base_url and have Test Connection send the stored secret to a host of
// their choosing without ever knowing it.
func checkCredentialHosts(ctx context.Context, t *models.Tenant, id int64, doc *definition.Document) error {
	before, err := loadDraft(ctx, t, id)
	if err != nil {
		return err
	}
	creds, err := t.Credentials(ctx)
	if err != nil {
		return err
	}
	envs := map[string]bool{}
	for _, c := range creds {
		if c.IntegrationID == id {
			envs[c.Environment] = true
		}
	}
	if len(envs) == 0 {
		return nil
	}
	old, now := credentialHosts(before.Doc), credentialHosts(doc)
	var changed []apperr.FieldError
	for field, place := range now {
		was := old[field][1]
		if place[1] == "" || place[1] == was || (place[0] != "" && !envs[place[0]]) {
			continue
		}
		changed = append(changed, apperr.FieldError{Field: field, Message: fmt.Sprintf(
			"moves to %s while stored credentials would be sent there: re-enter the credentials (delete them, change the host, save them again) or confirm with %s: true", place[1], ConfirmField)})
	}
	if len(changed) == 0 {
		return nil
	}
	slices.SortFunc(changed, func(a, b apperr.FieldError) int { return strings.Compare(a.Field, b.Field) })
	hc, _ := ctx.Value(hostChangeKey{}).(*HostChange)
	if hc == nil || !hc.Confirmed {
		e := apperr.Validation(changed...)
		e.Message = "the integration's stored credentials would go to a new host"
		return e
	}
	for _, f := range changed {
		hc.Changed = append(hc.Changed, f.Field)
	}
	return nil
}
