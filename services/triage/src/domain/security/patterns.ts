/**
 * Security signal patterns. Each is tuned for recall on real reports while staying clear of ordinary L1
 * wording ("new phone, reset my MFA", "I don't have admin rights to install it").
 * `incident` kinds make the ticket a security_incident; the others keep the category but forbid automation.
 */
export interface SignalPattern {
  signal: string;
  incident: boolean;
  re: RegExp;
}

export const SIGNAL_PATTERNS: SignalPattern[] = [
  // Phishing reports and credential harvesting.
  { signal: 'phishing', incident: true, re: /\bphish|\bspear-?phish|\bspoof(ed|ing)?\b|\bscam\b|suspicious (e-?mail|email|link|attachment|message|text|sms)|(is|was) (this|that|it) (e-?mail|message|link|text)? ?(legit|legitimate|real|safe|genuine)\b|looks? (fake|phony|suspicious|dodgy)|fake (login|sign-?in|microsoft|docusign|invoice|page)|clicked (on )?(a |the |this |that )?(link|attachment)|(entered|typed|put in) (my )?(email and )?(password|credentials)[^.!?\n]{0,40}\b(page|site|link|form|pop-?up|then|and it)\b|(attachment|link|page|site|form|e-?mail)[^.!?\n]{0,60}(asks?|asking) (for|me for|me to enter) (my )?(office |microsoft |email |work |365 )?(password|credentials|login details)/i },
  { signal: 'phishing', incident: true, re: /^\s*(fw|fwd):.{0,80}\b(docusign|invoice|payment|voicemail|shared (a )?(file|document)|password (expir|reset))/i },
  // Account compromise.
  { signal: 'account_compromise', incident: true, re: /\bhack(ed|er|ing)?\b|\bcompromis(ed|e)\b|(e-?mails?|messages?)[^.!?\n]{0,30}(that )?i (never|didn'?t|did not) sen[dt]|leaked credentials|credential (leak|stuffing)|password spray|brute[- ]force|unusual sign-?in|unfamiliar sign-?in|impossible travel|risky sign-?in|sign-?in from (another|a different|an unknown|a foreign)|(inbox|mail) ?rule (that )?i (didn'?t|did not|never) (create|make|set)|forward(s|ing|ed)? (everything|all (my )?(e-?mails?|mail)|e-?mails?|mail) to (an |some )?(external|outside|gmail|unknown|personal)|someone (else )?(has )?(logged|signed) in(to)? (to )?my|not me.{0,40}sign-?in|sign-?in.{0,60}(wasn'?t|was not) me/i },
  // Ransomware and malware.
  { signal: 'ransomware', incident: true, re: /\bransom|files? (are|were|have been|got) encrypted|encrypted (all )?(my|our|the) files|\bbitcoin\b|how_to_(restore|decrypt)|decrypt(ion)? (key|note|instructions)|new (file )?extension|\.(lockd|locked|crypt|encrypted)\b/i },
  { signal: 'malware', incident: true, re: /\bmalware|\bvirus\b|\btrojan|\bkeylogger|\bspyware|threat detected|quarantine failed|(command|cmd|powershell|black) (window|prompt|box) (popped|opened|flashed|appeared)|pop-?ups? (everywhere|i can'?t close)|tech support (scam|call)/i },
  // MFA fatigue: prompts the user did not start.
  { signal: 'mfa_fatigue', incident: true, re: /(mfa|authenticator|approval|approve|sign-?in|login|push|verification|2fa|two-factor) (requests?|prompts?|notifications?|pushes|codes?|texts?)[^.!?\n]{0,80}(didn'?t|did not|never|wasn'?t|not) (request|initiat|do|make|start|trying|try|me\b|sign)|(didn'?t|did not|never) (request|initiate|ask for)[^.!?\n]{0,40}(mfa|authenticator|approval|code|prompt)|(keep|kept|keeps|been) getting[^.!?\n]{0,40}(mfa|authenticator|approval|sign-?in|verification) (requests?|prompts?|notifications?)[^.!?\n]{0,60}(not|n'?t|nobody|no one)|(random|unexpected|unsolicited) (mfa|authenticator|approval|sign-?in|push)/i },
  // Data exfiltration.
  { signal: 'data_exfiltration', incident: true, re: /(copied|downloaded|exported|uploaded|emailed|forwarded|took)[^.!?\n]{0,60}(to (a |his |her |their )?(usb|thumb ?drive|flash drive|personal|gmail|dropbox|home)|(customer|client|patient|donor) (database|list|records|data))|data (leak|breach|exfiltrat)|mass (download|deletion)|leaked (data|files|documents)/i },
  // Lost or stolen computers (data at risk).
  { signal: 'lost_device', incident: true, re: /(lost|stolen|stole|missing|left)\b[^.!?\n]{0,30}\b(laptop|computer|notebook|macbook|tablet|ipad|usb drive)\b[^.!?\n]{0,60}(rideshare|uber|lyft|taxi|train|airport|car|bar|restaurant|stolen|lost|missing|hotel)|(laptop|computer|tablet|ipad) (was |got |has been )?(stolen|lost|taken)/i },
  { signal: 'lost_phone', incident: false, re: /(phone|mobile|cell|iphone)\b[^.!?\n]{0,20}\b(was|got|has been|is) (stolen|lost)|(lost|stolen) (my |her |his )?(work )?(phone|mobile|cell|iphone)/i },
  // Payment / invoice fraud and executive impersonation.
  { signal: 'payment_fraud', incident: true, re: /\bgift ?cards?\b|(bank|banking|ach|wire|payment|remittance|routing) (details|account|info|information|number)[^.!?\n]{0,60}(chang|updat|new|differ)|(new|changed|updated) (bank|banking|ach|wire|payment) (details|account|info)|\bwire transfer\b/i },
  // Number / address swap: codes or passwords to a destination given in the ticket.
  { signal: 'credential_redirect', incident: false, re: /(send|text|email|give|forward) (the |my |a |her |his )?(new |temp(orary)? )?(code|password|pw|passcode|credentials?|login)[^.!?\n]{0,40}(to (this|my new|my personal|the following|a different|another|my other|me at)|to \+?\d)|(new|personal|different) (number|phone|cell|address|e-?mail) (is|:)\s*[+\d\w]/i },
  { signal: 'credential_redirect', incident: false, re: /(send|give|text|email|read) (it|them|the (new |temp(orary)? )?(password|pw|code|login))( over the phone| to this (number|address|email)| to my (personal|other|private|gmail))|(my |her |his )?(cell|mobile|phone) (number )?(has )?changed[^.!?\n]{0,60}\+?\d[\d\s().-]{6,}|new (cell |mobile |phone )?number( is|:)\s*\+?\d/i },
  // Terminations that need secrecy or evidence preservation belong to Security and L2.
  { signal: 'sensitive_termination', incident: false, re: /terminat(ed|ion|ing) for cause|(do not|don'?t) (let (him|her|them) know|tell (him|her|them))|preserve (everything|evidence|all (data|email|files))|(legal|litigation) hold|walked out|escorted out/i },
  // Urgency + authority pressure to skip controls.
  { signal: 'bypass_request', incident: false, re: /(skip|bypass|without|don'?t (need|bother|worry about)|no need for|no time for|ignore|forget) (the |any |all |your )?(usual |normal |standard )?(verification|verify|approval|process|procedure|code|checks?|call ?back|security|mfa|policy)|(just|please) turn off (the )?(mfa|2fa|two-factor|multi-factor)|disable (my |the )?(mfa|2fa|two-factor|multi-factor)/i },
  // Instructions aimed at the automation (prompt injection).
  { signal: 'prompt_injection', incident: false, re: /ignore (all |any |the )?(previous|prior|above|earlier|preceding|your) (instructions|rules|prompts?|guidelines|policies)|disregard (the |your |all |any )?(previous |prior )?(rules|instructions|policy|policies|guidelines)|(system|admin|developer) (note|prompt|message|override)[^\n]{0,40}(agent|ai|assistant|automat|bot|llm)|\b(note|message|instructions?) (to|for) the (ai|bot|assistant|automated|automation|llm)|you are now\b|\bas an ai\b|pre-?approved by|\bjailbreak|\bact as (an? )?(admin|administrator|system)|new instructions:/i },
];

/** Privileged targets named in the text, whatever the directory says. */
export const PRIVILEGED_TEXT = /\b[\w-]+-admins?\b|\b(domain|global|enterprise|schema|exchange|local|tenant|billing|security|privileged role|sharepoint) admin(istrator)?s?\b|\badmin(istrator)? (rights|access|privileges?|role|account|permissions)\b|\bmake (me|him|her|them) (an? )?(admin|administrator|owner)\b|\bfull (control|admin)\b|\b(elevated|elevate) (rights|access|privileges?)\b|\bbreak-?glass\b/i;

/** Phrases that deny having or needing admin rights: not an elevation request. */
export const PRIVILEGE_NEGATION = /(don'?t|do not|doesn'?t|does not|no|without|never) (have |need |has |want )?(local |the )?admin(istrator)? (rights|access|privileges?|password)|asks? (me )?for (an )?admin(istrator)? (password|credentials)/i;

export const AUTHORITY = /\b(ceo|cfo|coo|owner|president|managing partner|senior partner|partner|director|executive director|boss|vp|chief)\b/i;
export const URGENCY = /\b(urgent|urgently|asap|right now|right away|immediately|emergency|within the hour|before (he|she|they) (lands|boards)|about to board|in a meeting|no time)\b/i;
