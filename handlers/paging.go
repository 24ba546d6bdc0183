package handlers

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
)

// paging reads ?cursor= (the last id seen) and ?limit= (1 to 200, 50 when
// left out).
func paging(c echo.Context) (after int64, limit int, err error) {
	limit = 50
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 200 {
			return 0, 0, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "limit must be between 1 and 200",
				Fields: []apperr.FieldError{{Field: "limit", Message: "must be between 1 and 200"}}}
		}
	}
	if v := c.QueryParam("cursor"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil {
			return 0, 0, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "cursor is not valid",
				Fields: []apperr.FieldError{{Field: "cursor", Message: "is not valid"}}}
		}
	}
	return after, limit, nil
}

// cursorList is the list answer of one page of items: a full page
// carries the cursor of the next.
func cursorList[T any](items []T, limit int, id func(*T) int64) list[T] {
	out := listOf(items)
	if limit > 0 && len(items) == limit {
		out.NextCursor = strconv.FormatInt(id(&items[len(items)-1]), 10)
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
