package transform

import (
	"errors"
	"fmt"
	"strings"
)

// RefTranslator translates a record's id between Switchboard (local) and
// the integration a call goes to (external), for entity ("patient",
// "appointment"). A record not linked there answers ErrNotLinked.
type RefTranslator interface {
	External(entity, local string) (string, error)
	Local(entity, external string) (string, error)
}

// ErrNotLinked says that a record has no counterpart in the integration
// (a patient not synced there yet). A request's error names the internal
// field; an answer keeps the upstream's own field for it.
var ErrNotLinked = errors.New("no linked record")

// externalRefEntities are the entities external_ref knows.
var externalRefEntities = []string{"patient", "appointment"}

// buildExternalRef compiles external_ref:<entity>: on the way out, a local
// id becomes the integration's id of the same record; in an answer, the
// integration's id becomes the local one. Without Env.Refs the id stays.
func buildExternalRef(arg string, hasArg bool) (zfn, error) {
	entity := strings.TrimSpace(arg)
	if !hasArg || (entity != "patient" && entity != "appointment") {
		return nil, fmt.Errorf("needs the entity: external_ref:%s", strings.Join(externalRefEntities, " or external_ref:"))
	}
	return func(v any, env Env) (any, error) {
		if env.Refs == nil || v == nil {
			return v, nil
		}
		id := strings.TrimSpace(stringOf(v))
		if id == "" {
			return v, nil
		}
		if env.Out {
			return env.Refs.Local(entity, id)
		}
		return env.Refs.External(entity, id)
	}, nil
}

// stringOf writes an id as text: 12 (any number type) or "12".
func stringOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprintf("%d", int64(x))
		}
	}
	return fmt.Sprint(v)
}
