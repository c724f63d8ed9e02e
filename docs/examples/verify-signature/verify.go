// Verifies Keyport-Signature on a request the Keyport gateway forwarded to your API (Go, standard library only).
package keyport

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func VerifyKeyportSignature(r *http.Request, forwardSecret string, tolerance time.Duration) bool {
	requestID, timestamp, keyID := r.Header.Get("X-Request-Id"), r.Header.Get("Keyport-Timestamp"), r.Header.Get("Keyport-Key-Id")
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if requestID == "" || keyID == "" || err != nil || math.Abs(float64(time.Now().Unix()-ts)) > tolerance.Seconds() {
		return false
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(forwardSecret, "whsec_"))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(requestID + "." + timestamp + "." + keyID + "." + r.Method + "." + r.URL.RequestURI()))
	expected := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for _, s := range strings.Split(r.Header.Get("Keyport-Signature"), " ") {
		if hmac.Equal([]byte(s), []byte(expected)) {
			return true
		}
	}
	return false
}
