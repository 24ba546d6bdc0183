// Package views holds the templ views: layouts, components and pages. Views
// receive plain view models and never touch the database.
//
// `go generate ./views` regenerates the templ code and the Tailwind CSS.
package views

//go:generate go tool templ generate -path .
//go:generate sh -c "cd .. && npm run --silent build:css"
