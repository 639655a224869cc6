import sys, time
from servertest import QuorumServer
s = QuorumServer()
o = s.signup(name='A', organization_name='B'); t=o['token']; org=o['organization']['id']
s.seed_members(org, 100000, name='M {n:06d} '+'x'*60, email='m.{n:06d}.'+'y'*60+'@x.example')
path=f'/v1/organizations/{org}/members/export'
s.get(f'/v1/organizations/{org}/members?limit=1', t)
for k in range(5):
    r, total, lines, _ = s.stream(path, t)
    t0=time.time()
    n0 = s.log().count('members/export 200')
    while s.log().count('members/export 200') == n0 and time.time()-t0 < 10:
        time.sleep(0.01)
    print('stream', r.status, lines, 'finished after', round(time.time()-t0,3))
s.stop()
