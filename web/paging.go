package web

import (
	"strconv"

	"switchboard/apperr"
)

// List is the envelope of every list answer: {"items": [...],
// "next_cursor": "…"}, the cursor empty on the last page.
type List[T any] struct {
	Items      []T    `json:"items" doc:"The page's items."`
	NextCursor string `json:"next_cursor" doc:"Pass as cursor to get the next page; absent on the last page."`
}

// ListOf is the list answer of items, without a next page.
func ListOf[T any](items []T) List[T] {
	return List[T]{Items: NonNil(items)}
}

// CursorList is the list answer of one page of items: a full page
// carries the cursor of the next.
func CursorList[T any](items []T, limit int, id func(*T) int64) List[T] {
	out := ListOf(items)
	if limit > 0 && len(items) == limit {
		out.NextCursor = strconv.FormatInt(id(&items[len(items)-1]), 10)
	}
	return out
}

// NonNil returns s, or an empty slice for nil, so that JSON shows [].
func NonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// PageQuery is the paging of a list's query: cursor (the last id seen)
// and limit (1 to 200, 50 when left out). List queries embed it.
type PageQuery struct {
	Cursor *int64 `query:"cursor" invalid:"is not valid" doc:"The next_cursor of the previous page."`
	Limit  *int   `query:"limit" invalid:"must be between 1 and 200" doc:"At most this many items, 1 to 200 (default 50)."`
}

// Page checks the paging and returns the id to page after and the limit.
func (q PageQuery) Page() (after int64, limit int, err error) {
	limit = 50
	if q.Limit != nil {
		if limit = *q.Limit; limit < 1 || limit > 200 {
			return 0, 0, FieldError(apperr.CodeInvalidRequest, "limit", "must be between 1 and 200")
		}
	}
	if q.Cursor != nil {
		after = *q.Cursor
	}
	return after, limit, nil
}
