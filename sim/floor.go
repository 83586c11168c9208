package sim

// The floor of a step's memory traffic: the bytes of state a step of the
// default scenario (finance on, one demand shock, no interventions) must
// read and write at least. Each per-firm, per-slot and per-edge array the
// step touches for every live firm, slot or edge counts once: its element
// size if the step only reads it (its value from before the step is used)
// or only writes it (its value is stored, the old one unused), twice if it
// does both. Arrays touched only for failed firms or partners (failStep),
// only in the rounds after the first (collectFlag) or only by optional
// mechanisms are left out. bytesPerStep counts the same arrays once per
// pass that touches them; its ratio to the floor is what fusing passes can
// still save. See docs/performance.md.

// arrayDim says what an array is indexed by.
type arrayDim uint8

const (
	perFirm arrayDim = iota
	perSlot
	perEdge
)

// stateArray is one array of the floor: its field in engine or in
// network.Network, what it is indexed by, its element size, and whether
// the step reads its old value and stores a new one.
type stateArray struct {
	field         string
	dim           arrayDim
	size          int64
	read, written bool
}

// defaultStepArrays are the arrays of the floor (TestFloorArraysAreEngineArrays
// checks the names and sizes against engine and network.Network).
var defaultStepArrays = []stateArray{
	// Network, read only.
	{"Kind", perFirm, 1, true, false},
	{"Role", perFirm, 1, true, false},
	{"ExportMarket", perFirm, 4, true, false},
	{"InStart", perFirm, 4, true, false},
	{"OutStart", perFirm, 4, true, false},
	{"SlotStart", perFirm, 4, true, false},
	{"SlotEdgeStart", perSlot, 4, true, false},
	{"Supplier", perEdge, 4, true, false},
	{"Weight", perEdge, 8, true, false},
	{"OutEdge", perEdge, 4, true, false},
	// Firms' parameters, read only.
	{"alive", perFirm, 1, true, false},
	{"fdDomestic", perFirm, 8, true, false},
	{"fdExport", perFirm, 8, true, false},
	{"capacity", perFirm, 8, true, false},
	{"baseOutput", perFirm, 8, true, false},
	{"inputShare", perFirm, 8, true, false},
	{"fixedCost", perFirm, 8, true, false},
	{"hasCredit", perFirm, 1, true, false},
	{"buffer", perFirm, 8, true, false},
	{"loanLimit", perFirm, 8, true, false},
	{"bank", perFirm, 4, true, false},
	{"cashTarget", perFirm, 8, true, false},
	{"lastLockdown", perFirm, 4, true, false},
	// Firms' state, carried from step to step.
	{"planned", perFirm, 8, true, true},
	{"importInv", perFirm, 8, true, true},
	{"fillRate", perFirm, 8, true, true},
	{"loan", perFirm, 8, true, true},
	{"loanRate", perFirm, 8, true, true},
	{"profitEMA", perFirm, 8, true, true},
	{"equity", perFirm, 8, true, true},
	{"owedTax", perFirm, 8, true, true},
	{"owedExternal", perFirm, 8, true, true},
	{"cash", perFirm, 8, true, true},
	{"shortfall", perFirm, 1, true, true},
	{"revenueEMA", perFirm, 8, true, true},
	{"illiquidRun", perFirm, 4, true, true},
	{"insolventRun", perFirm, 4, true, true},
	{"revPostSum", perFirm, 8, true, true},
	// Firms' values of the step, written afresh.
	{"fdNow", perFirm, 8, false, true},
	{"importOrder", perFirm, 8, false, true},
	{"output", perFirm, 8, false, true},
	{"fdDelivered", perFirm, 8, false, true},
	{"importBuy", perFirm, 8, false, true},
	{"lastDemand", perFirm, 4, false, true},
	{"lastCredit", perFirm, 4, false, true},
	{"dueInterest", perFirm, 8, false, true},
	{"duePrincipal", perFirm, 8, false, true},
	{"netProfit", perFirm, 8, false, true},
	{"dueTotal", perFirm, 8, false, true},
	{"repaid", perFirm, 8, false, true},
	{"unpaidDebt", perFirm, 8, false, true},
	{"request", perFirm, 8, false, true},
	{"score", perFirm, 8, false, true},
	{"toExternal", perFirm, 8, false, true},
	{"toGov", perFirm, 8, false, true},
	{"toBank", perFirm, 8, false, true},
	{"reserveIn", perFirm, 8, false, true},
	{"lent", perFirm, 8, false, true},
	{"repaidAll", perFirm, 8, false, true},
	{"writtenOff", perFirm, 8, false, true},
	{"badDebt", perFirm, 8, false, true},
	{"receivables", perFirm, 8, false, true}, // summed by collection for the balance-sheet check (collectRange)
	// Slots.
	{"slotCoeff", perSlot, 8, true, false},
	{"slotInv", perSlot, 8, true, true},
	// Links.
	{"payable", perEdge, 8, true, true},
	{"order", perEdge, 8, false, true},
	{"delivery", perEdge, 8, false, true},
	{"due", perEdge, 8, false, true},
	{"paidRound", perEdge, 8, false, true},
}

// floorBytes returns the floor of a step on a network of n firms, s slots
// and m edges.
func floorBytes(n, s, m int64) int64 {
	total := int64(0)
	for _, a := range defaultStepArrays {
		b := int64(0)
		if a.read {
			b += a.size
		}
		if a.written {
			b += a.size
		}
		switch a.dim {
		case perFirm:
			total += n * b
		case perSlot:
			total += s * b
		case perEdge:
			total += m * b
		}
	}
	return total
}
