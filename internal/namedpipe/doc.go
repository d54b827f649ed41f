// Package namedpipe makes named pipes for the tests that check every reader
// refuses them (a FIFO given as a model, config or golden must not block).
// On platforms without them Make returns errors.ErrUnsupported and those
// tests skip.
package namedpipe
