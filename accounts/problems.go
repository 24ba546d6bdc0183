package accounts

import (
	"maps"
	"slices"

	"switchboard/apperr"
	"switchboard/auth"
)

// problems are the field problems of a form, by field name: those the
// form's own checks found, and the service's.
type problems map[string]string

// fields starts from the form's own problems.
func fields(invalid map[string]string) problems {
	p := problems{}
	maps.Copy(p, invalid)
	return p
}

// set names a problem of field, replacing the form's.
func (p problems) set(field, msg string) { p[field] = msg }

// add names a problem of field unless the form found one already.
func (p problems) add(field, msg string) {
	if p[field] == "" {
		p[field] = msg
	}
}

// policy checks a new password against the policy.
func (p problems) policy(field, password string) {
	if msg := auth.CheckPasswordPolicy(password); msg != "" {
		p.add(field, msg)
	}
}

// err is the validation error of the problems, nil when there are none.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	out := make([]apperr.FieldError, 0, len(p))
	for _, k := range slices.Sorted(maps.Keys(p)) {
		out = append(out, apperr.FieldError{Field: k, Message: p[k]})
	}
	return apperr.Validation(out...)
}
