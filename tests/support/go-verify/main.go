// Runs the published Go snippet (docs/examples/verify-signature/verify.go, copied beside this file as package
// keyport by lib/apis/forward-secret.test.ts) on one request given as JSON, and prints valid or invalid.
package main

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"time"

	"verifyrun/keyport"
)

func main() {
	var in struct {
		Headers map[string]string `json:"headers"`
		Method  string            `json:"method"`
		Path    string            `json:"path"`
		Secret  string            `json:"secret"`
	}
	if err := json.Unmarshal([]byte(os.Args[1]), &in); err != nil {
		panic(err)
	}
	r := httptest.NewRequest(in.Method, in.Path, nil)
	for k, v := range in.Headers {
		r.Header.Set(k, v)
	}
	if keyport.VerifyKeyportSignature(r, in.Secret, 300*time.Second) {
		fmt.Println("valid")
	} else {
		fmt.Println("invalid")
	}
}
