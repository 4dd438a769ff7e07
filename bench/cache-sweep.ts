// Mechanical near-miss sweep for the differential check: every prompt of the tuning half and of the cache unit
// tests with one word (or Chinese word) swapped for its opposite number, time, direction, quantifier, pronoun,
// modal, verb, tense, unit or entity, or a negation added or removed. Prints every variant the check would
// serve. The only ones expected are pairs the check merges by design ("how do I / you", "how can / should I",
// 怎么会 / 为什么会, ...): compare with another checkout's check, e.g. main's, by pointing BENCH_SWEEP_BASE at a
// copy of its functions/core/cache folder, and only the variants that one does not serve are printed.
// Run: npx node bench/cache-sweep.ts   (reads the tuning half only, never the held-out half)
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareTexts } from '#core/cache/differential.ts';
const baseDir = process.env['BENCH_SWEEP_BASE'];
const base = baseDir ? ((await import(resolve(baseDir, 'differential.ts'))) as { compareTexts: typeof compareTexts }).compareTexts : undefined;
interface Pair { a: string; b: string }
const prompts = new Set<string>();
for (const p of (JSON.parse(readFileSync('bench/data/cache-pairs-tune.json', 'utf8')) as { pairs: Pair[] }).pairs) { prompts.add(p.a); prompts.add(p.b); }
for (const f of readdirSync('test/unit').filter((f) => f.startsWith('cache-'))) {
  const text = readFileSync(`test/unit/${f}`, 'utf8');
  for (const m of text.matchAll(/(?<=[(,\[]\s*)(['"])((?:(?!\1)[^\\\n]){6,200})\1/g)) if (/\s|\p{Script=Han}/u.test(m[2]!)) prompts.add(m[2]!);
}
const pairsEn: Array<[string, string]> = [];
const two = (s: string) => { for (const x of s.split(',')) { const [a, b] = x.trim().split('/') as [string, string]; pairsEn.push([a, b], [b, a]); } };
two('one/two,two/three,three/four,four/five,five/six,six/seven,seven/eight,eight/nine,nine/ten,ten/twenty,hundred/thousand,once/twice,half/quarter,single/double,first/second,second/third,third/fourth');
two('morning/evening,morning/night,today/tomorrow,yesterday/tomorrow,before/after,day/night,summer/winter,spring/fall,autumn/spring,breakfast/dinner,lunch/dinner,monday/friday,am/pm,hour/minute,hours/minutes,week/month,weeks/months,year/month,years/months,days/weeks,daily/weekly,tonight/today');
two('to/from,up/down,left/right,north/south,east/west,in/out,above/below,over/under,inside/outside,front/back,increase/decrease,raise/lower,import/export,upload/download,push/pull,buy/sell,send/receive,open/close,start/stop,on/off,add/remove,install/uninstall,enable/disable,lock/unlock,win/lose,hot/cold,high/low,more/less,most/least,best/worst,big/small,fast/slow,early/late,last/first,better/worse,cheap/expensive,safe/dangerous,good/bad,healthy/unhealthy,increase/reduce,gain/lose,heavier/lighter,longer/shorter,warm/cool,wet/dry,hard/soft,full/empty,light/dark,old/new,young/old,max/min,maximum/minimum');
two('all/some,every/any,many/few,always/never,most/some,both/either,each/no,all/most,often/rarely,everyone/someone,nothing/something');
two('i/you,my/your,he/she,his/her,we/they,me/him,our/their,it/them,you/we,mine/yours');
two('can/should,must/may,will/would,could/should,can/must,should/must,might/will');
two('is/was,are/were,do/did,does/did,will/did,has/had,have/had,was/will,eat/ate,go/went,win/won,make/made,take/took,write/wrote');
two('celsius/fahrenheit,miles/kilometers,km/miles,kg/lbs,pounds/kilograms,cups/liters,mg/g,inches/feet,dollars/euros,meters/feet');
two('cat/dog,dogs/cats,python/java,iphone/android,windows/mac,mac/linux,tea/coffee,husband/wife,son/daughter,boy/girl,men/women,man/woman');
const zh: Array<[string, string]> = [];
const twoZh = (s: string) => { for (const x of s.split(',')) { const [a, b] = x.split('/') as [string, string]; zh.push([a, b], [b, a]); } };
twoZh('一/二,两/三,三/四,五/六,十/百,早上/晚上,上午/下午,今天/明天,昨天/明天,前/后,上/下,左/右,东/西,南/北,买/卖,开/关,打开/关闭,增加/减少,多/少,大/小,高/低,冷/热,快/慢,早/晚,好/坏,最/不,都/也,所有/有些,每/某,我/你,他/她,你/他,能/要,会/能,了/过,是/不是,冬天/夏天,春天/秋天,早餐/晚餐,早饭/晚饭,午饭/晚饭,从/到,第一/第二,能/不能,可以/不可以,有/没有,会/不会,猫/狗,男/女,年/月,天/周,小时/分钟,公斤/斤,米/厘米,美元/人民币,去/来,进/出,长/短,胖/瘦,加/减,新/旧,贵/便宜');
const variants: Array<[string, string]> = [];
for (const p of prompts) {
  const words = p.split(' ');
  words.forEach((w, i) => {
    const m = /^([^\p{L}\d]*)([\p{L}\d']+)([^\p{L}\d]*)$/u.exec(w);
    if (!m) return;
    const [, pre, core, post] = m as unknown as [string, string, string, string];
    const lower = core.toLowerCase();
    const subs = pairsEn.filter(([a]) => a === lower).map(([, b]) => b);
    if (/^\d+$/.test(core)) subs.push(String(Number(core) + 1), String(Number(core) * 2));
    if (/^(is|are|was|were|do|does|did|can|could|will|would|should|has|have)$/.test(lower)) subs.push(`${lower} not`);
    if (/n't$/.test(lower)) subs.push(lower.replace(/n't$/, ''));
    for (const s of subs) variants.push([p, [...words.slice(0, i), pre + s + post, ...words.slice(i + 1)].join(' ')]);
  });
  if (/\bnot\b/i.test(p)) variants.push([p, p.replace(/\bnot /i, '')]);
  for (const [a, b] of zh) {
    let at = p.indexOf(a);
    while (at >= 0) { variants.push([p, p.slice(0, at) + b + p.slice(at + a.length)]); at = p.indexOf(a, at + 1); }
  }
  const han = [...p].findIndex((c) => /\p{Script=Han}/u.test(c));
  if (han >= 0) { const cs = [...p]; const verb = cs.findIndex((c, j) => j > 0 && /[吃喝去做买看用能会是有]/u.test(c)); if (verb > 0) variants.push([p, [...cs.slice(0, verb), '不', ...cs.slice(verb)].join('')]); }
}
const served = variants.filter(([a, b]) => a !== b && compareTexts(a, b).same);
const fresh = base ? served.filter(([a, b]) => !base(a, b).same) : served;
for (const [a, b] of fresh) console.log(`${a} ||| ${b}`);
console.log(`prompts ${prompts.size}, variants ${variants.length}, served ${served.length}${base ? `, served here but not by ${baseDir}: ${fresh.length}` : ''}`);
