package web

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"

	"switchboard/apperr"
)

// Validator wraps validator/v10 and reports fields by their form, json or
// query name with a sentence a person understands. The router installs it
// as echo's Validator, so forms and JSON bodies are checked alike.
type Validator struct{ v *validator.Validate }

// NewValidator returns the validator of the router.
func NewValidator() *Validator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		for _, tag := range []string{"form", "json", "query"} {
			if name, _, _ := strings.Cut(f.Tag.Get(tag), ","); name != "" && name != "-" {
				return name
			}
		}
		return f.Name
	})
	return &Validator{v: v}
}

// Validate implements echo.Validator.
func (fv *Validator) Validate(i any) error {
	err := fv.v.Struct(i)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	fields := make([]apperr.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, apperr.FieldError{Field: fieldPath(fe), Message: fieldMessage(fe)})
	}
	return apperr.Validation(fields...)
}

func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

func fieldMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required", "required_without", "required_with":
		return "is required"
	case "email":
		return "must be an email address"
	case "min":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at least %s characters", fe.Param())
		}
		return "must be at least " + fe.Param()
	case "max":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at most %s characters", fe.Param())
		}
		return "must be at most " + fe.Param()
	case "oneof":
		return "must be one of " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "eqfield":
		return "does not match"
	case "url", "http_url":
		return "must be a URL"
	}
	return "is not valid (" + fe.Tag() + ")"
}

// BindForm binds the request into form and validates it. It returns the
// per-field messages (nil when valid); other errors are returned as error.
func BindForm(c echo.Context, form any) (map[string]string, error) {
	if err := c.Bind(form); err != nil {
		return nil, apperr.New(apperr.CodeInvalidRequest, "the form could not be read")
	}
	err := c.Validate(form)
	if err == nil {
		return nil, nil
	}
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeValidationFailed {
		return FieldMap(e.Fields), nil
	}
	return nil, err
}

// FieldMap is field errors as a form shows them: the first message per
// field.
func FieldMap(fs []apperr.FieldError) map[string]string {
	m := make(map[string]string, len(fs))
	for _, f := range fs {
		if _, seen := m[f.Field]; !seen {
			m[f.Field] = f.Message
		}
	}
	return m
}

// FormOf reads every named form value.
func FormOf(c echo.Context, names ...string) map[string]string {
	m := map[string]string{}
	for _, n := range names {
		m[n] = c.FormValue(n)
	}
	return m
}

// PostedOf reads the named form values that the request posted: a field
// the form did not show is left out (and keeps its value on an update).
func PostedOf(c echo.Context, names ...string) map[string]string {
	form, _ := c.FormParams()
	m := map[string]string{}
	for _, n := range names {
		if vs, ok := form[n]; ok && len(vs) > 0 {
			m[n] = vs[0]
		}
	}
	return m
}

// Invalid returns the per-field messages of a validation_failed error as a
// form shows them, or nil for any other error (or none).
func Invalid(err error) map[string]string {
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeValidationFailed {
		return FieldMap(e.Fields)
	}
	return nil
}
