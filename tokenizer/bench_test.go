package tokenizer

import (
	"math/rand/v2"
	"strings"
	"testing"
)

var benchWords = strings.Fields(`the of and to a in is it you that he was for on are with as I his they be at
one have this from or had by hot word but what some we can out other were all there when up use your how said
an each she which do their time if will way about many then them write would like so these her long make thing
see him two has look more day could go come did number sound no most people my over know water than call first
who may down side been now find any new work part take get place made live where after back little only round
man year came show every good me give our under name very through just form sentence great think say help low
line differ turn cause much mean before move right boy old too same tell does set three want air well also play
small end put home read hand port large spell add even land here must big high such follow act why ask men change
went light kind off need house picture try us again animal point mother world near build self earth father head
stand own page should country found answer school grow study still learn plant cover food sun four between state
keep eye never last let thought city tree cross farm hard start might story saw far sea draw left late run while
press close night real life few north open seem together next white children begin got walk example ease paper
group always music those both mark often letter until mile river car feet care second book carry took science eat
room friend began idea fish mountain stop once base hear horse cut sure watch color face wood main enough plain
girl usual young ready above ever red list though feel talk bird soon body dog family direct pose leave song
measure door product black short numeral class wind question happen complete ship area half rock order fire south
problem piece told knew pass since top whole king space heard best hour better true during hundred five remember
step early hold west ground interest reach fast verb sing listen six table travel less morning ten simple several
vowel toward war lay against pattern slow center love person money serve appear road map rain rule govern pull
cold notice voice unit power town fine certain fly fall lead cry dark machine note wait plan figure star box noun
field rest correct able pound done beauty drive stood contain front teach week final gave green oh quick develop
ocean warm free minute strong special mind behind clear tail produce fact street inch multiply nothing course stay
wheel full force blue object decide surface deep moon island foot system busy test record boat common gold
possible plane stead dry wonder laugh thousand ago ran check game shape equate miss brought heat snow tire bring
yes distant fill east paint language among quantization ternary transformer tokenizer inference throughput
BitNet LLaMA Microsoft Hugging Face GPU CPU kernel matrix vector embedding attention softmax don't it's we're
they've I'll she'd`)

// englishText returns about n bytes of English-like text: sentences of
// common words with capitals, punctuation, numbers, quotes, contractions,
// paragraphs and an occasional made-up word.
func englishText(n int) string {
	r := rand.New(rand.NewPCG(42, 7))
	var sb strings.Builder
	for sb.Len() < n {
		words := 5 + r.IntN(20)
		for i := 0; i < words; i++ {
			w := benchWords[r.IntN(len(benchWords))]
			switch x := r.IntN(100); {
			case x < 2:
				w = "“" + w + "”"
			case x < 4:
				w = itoa(r.IntN(100000))
			case x < 6:
				w += ","
			case x < 7:
				// a made-up word: BPE work that the vocabulary does not cover
				b := []byte(w + benchWords[r.IntN(len(benchWords))])
				r.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
				w = string(b)
			}
			if i == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			} else {
				sb.WriteByte(' ')
			}
			sb.WriteString(w)
		}
		sb.WriteString([]string{". ", ". ", "? ", "! ", ".\n\n", "; "}[r.IntN(6)])
	}
	return sb.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func BenchmarkEncode(b *testing.B) {
	tok := tokenizers(b)["json"]
	text := englishText(512 << 10)
	// Include the vectors, which are more varied than the generated text.
	var sb strings.Builder
	for _, v := range loadVectors(b, "vectors.json") {
		sb.WriteString(v.Text)
		sb.WriteByte('\n')
	}
	text += strings.Repeat(sb.String(), 20)
	ids := tok.Encode(text, false)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		tok.Encode(text, false)
	}
	b.ReportMetric(float64(len(text))/float64(len(ids)), "bytes/token")
}

// BenchmarkEncodeCold measures text whose words are new to the BPE cache.
func BenchmarkEncodeCold(b *testing.B) {
	tok := tokenizers(b)["json"]
	text := englishText(256 << 10)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		tok.cache.mu.Lock()
		tok.cache.m = nil
		tok.cache.mu.Unlock()
		tok.Encode(text, false)
	}
}

func BenchmarkDecode(b *testing.B) {
	tok := tokenizers(b)["json"]
	text := englishText(256 << 10)
	ids := tok.Encode(text, false)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		tok.Decode(ids)
	}
}
