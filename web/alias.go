package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"switchboard/apperr"
)

// AliasRecorder is a request that wants to know which alias names its
// body used (the execute route answers in the original system's shape
// when it was called with functionName).
type AliasRecorder interface {
	RecordAliases(used []string)
}

// aliasTarget is the field an alias stands for: its JSON name, and
// whether it holds a string (a number sent under the alias is then read
// as its digits: the original system sent provider_id: 1).
type aliasTarget struct {
	name    string
	stringy bool
}

// aliasCache maps, for a struct type, each alias (the `alias:"…"` tag,
// names separated by commas) to its field.
var aliasCache sync.Map // reflect.Type → map[string]aliasTarget

func aliasesOf(v any) map[string]aliasTarget {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	if m, ok := aliasCache.Load(t); ok {
		return m.(map[string]aliasTarget)
	}
	m := map[string]aliasTarget{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("alias")
		if tag == "" {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		for _, a := range strings.Split(tag, ",") {
			if a = strings.TrimSpace(a); a != "" {
				m[a] = aliasTarget{name: name, stringy: ft.Kind() == reflect.String}
			}
		}
	}
	aliasCache.Store(t, m)
	return m
}

// renameAliases rewrites the top-level alias keys of a JSON object body to
// their fields' JSON names. Giving a field under both names is a 400 that
// names both. A body that is not an object is left to the decoder.
func renameAliases(body []byte, aliases map[string]aliasTarget) ([]byte, []string, error) {
	if !mayNameAlias(body, aliases) {
		return body, nil, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return body, nil, nil
	}
	var used []string
	for alias, target := range aliases {
		v, ok := obj[alias]
		if !ok {
			continue
		}
		name := target.name
		if target.stringy && len(v) > 0 && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')) {
			v, _ = json.Marshal(string(v))
		}
		if _, both := obj[name]; both {
			return nil, nil, &apperr.Error{Code: apperr.CodeInvalidRequest,
				Message: fmt.Sprintf("give %s or %s, not both (%s is the original system's name for %s)", name, alias, alias, name),
				Fields:  []apperr.FieldError{{Field: alias, Message: "is another name for " + name + ", which is given too"}}}
		}
		delete(obj, alias)
		obj[name] = v
		used = append(used, alias)
	}
	if len(used) == 0 {
		return body, nil, nil
	}
	out, err := json.Marshal(obj)
	return out, used, err
}

// mayNameAlias reports whether body may hold one of the aliases as a key:
// it holds one of them in quotes, or an escape (a key may spell an alias
// with \u escapes). Most bodies hold neither and are not read twice.
func mayNameAlias(body []byte, aliases map[string]aliasTarget) bool {
	if bytes.IndexByte(body, '\\') >= 0 {
		return true
	}
	for alias := range aliases {
		if bytes.Contains(body, []byte(`"`+alias+`"`)) {
			return true
		}
	}
	return false
}
