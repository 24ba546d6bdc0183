package handlers_test

import (
	"time"

	"switchboard/integrations/sandbox"
)

func sandboxOutage() sandbox.Faults { return sandbox.Faults{Outage: true} }
func sandboxOK() sandbox.Faults     { return sandbox.Faults{} }
func waitABit()                     { time.Sleep(100 * time.Millisecond) }
