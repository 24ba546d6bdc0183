package handlers

import "github.com/labstack/echo/v4"

// decodeValidJSON reads a JSON body into v (see decodeJSON) and checks its
// validate tags with the router's validator, the one forms use: a bad
// field answers 422 validation_failed naming it by its JSON name.
func decodeValidJSON(c echo.Context, v any) error {
	if err := decodeJSON(c, v); err != nil {
		return err
	}
	return c.Validate(v)
}
