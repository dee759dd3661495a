package gateway

import "time"

// SetClock makes the keys' throttles and quotas read time from now.
func (k *Keys) SetClock(now func() time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.now, k.start = now, now()
}
