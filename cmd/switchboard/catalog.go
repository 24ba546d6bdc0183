package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"switchboard/integrations/catalog"
)

// runCatalog handles `switchboard catalog list`.
func runCatalog(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		return errors.New("catalog: usage: switchboard catalog list")
	}
	entries, err := catalog.List()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SLUG\tNAME\tCATEGORY\tAUTH\tFUNCTIONS\tTEST FUNCTION")
	for _, e := range entries {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\n", e.Slug, e.Name, e.Category, e.Doc.Auth.Type, len(e.Doc.Endpoints), e.Doc.TestFunction)
	}
	return w.Flush()
}
