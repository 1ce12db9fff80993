"""Common given names in the UK, in lower case, for names typed without capitals.

"im sarah jones" has no capital to tell a name from "im applying", so a lower-case word
after "I'm", "this is", a sign-off or before "here" counts as a name only when it is in
this list. The list is written for this project: given names common among people in the
UK across generations and communities. It leaves out names that are also ordinary
words after "I'm" or "thanks" ("will", "frank", "grace", "may", "sunny", "rich"...), and
every name of two letters. A name missing here is still found with a capital letter or
after "my name is"; add it if visitors type it in lower case.
"""

from __future__ import annotations

GIVEN_NAMES: frozenset[str] = frozenset(
    """
aaliyah aaron abbie abby abdul abdullah abigail adam adeel adele adrian agnieszka ahmad ahmed
aidan aiden aileen aimee aisha aishah alan alana alanna albert alex alexa alexander alexandra
alexis alfie ali alice alicia alisha alison alistair allan amanda amara amelia amir amy ana
anastasia andre andrea andreea andrew andy aneesa angela angus anita ann anna annabel anne
annie anthony antonio anya archie aria arianna arjun arlo arthur asha asher ashley ashton
aston aurora austin ava avery ayesha ayaan baljit barbara barry beatrice becky bella ben
benjamin bernadette bethany betty beverley bilal billy blessing bogdan bonnie brandon brenda
brian bridget bronwen bruce bryony caitlin caleb callum calum cameron camilla cara carl carla
carly carmen caroline carys casey cassie catherine cathy ceri charlie charlotte chelsea chen
cheryl chidi chiamaka chinedu chloe chris chrissie christian christina christine christopher
ciara ciaran claire clara clare colin connor conor craig cristina daisy dale damian damien
dan dani daniel daniela danielle danny darren dave david dawid debbie deborah declan deepak
deepika demi denise dennis derek desmond dexter diana diane dominic dominika donna
doreen dorothy dylan eddie edward edwin efe eilidh eileen elaine eleanor elena eliza
elizabeth ella ellie eloise elsie emeka emilia emily emma eric erin ethan eugene eva evan
evelyn evie ewan ezra fahad faisal farah fatima fatma felicity felix ffion finlay finley
finn fiona florence francesca freddie frederick freya gabriel gabriella gareth garry gary
gavin gemma george georgia georgina gerald gillian gina gordon graham gurpreet hamza
hannah harjit harley harper harriet harrison harvey hassan hayden hayley heather helen
helena henry hollie hugh hugo ian ibrahim idris ifeoma imogen imran isaac isabel
isabella isabelle isaiah isla ismail ivan jack jackie jackson jacob jade jake jakub james
jamie jane janet janice jasmine jason jasper jayden jean jeff jennifer jenny jeremy jessica
jill joan joanna joanne jodie joe joel joey john johnny jon jonathan jordan joseph josephine
josh joshua joyce judith julia julian julie justin kacper kai kamal kamran karen karim
karina kate katherine kathleen kathryn katie kayleigh keira keith kelly kenneth kerry kevin
kieran kim kirsty krishna kristina kwame kyle lachlan laila lara laura lauren layla leah
lee leila leo leon leona lewis liam lily linda lindsay lisa liz lizzie logan lois lola
lorna lorraine louis louise lucas lucia lucy luis luka luke lydia lynn lynne madeleine
madison maisie maja malcolm manpreet marcus margaret maria mariam marie marion martha
martin mary maryam matilda matt matthew maureen maya megan mehmet melanie melissa mia
michael michaela michelle mikolaj mila millie mohammad mohammed molly muhammad mustafa
nadia naomi natalia natalie natasha nathan neil nia niamh nicholas nick nicola nicole
nigel nikhil nina noah noor norma nuala oliver olivia oscar owen paige pamela patrick
patricia paul paula pauline peter philip phoebe pippa piotr pooja priya priyanka rachel
rachael rafael rahul raj rajesh ravi rebecca reece rhian rhiannon rhys ricardo richard
ricky rita robert roberta robyn rory rosie ross rowan roxanne ruth ryan sadia safiya sahil
saima sally salma sam samantha samir samuel sandra sanjay sara sarah saskia scarlett scott
sean sebastian seren shabana shannon sharon shaun sheila shirley sian sienna simon simran
siobhan sofia sonia sophia sophie stacey stanley stefan stella stephanie stephen steve
steven stuart suki sukhdeep sunil susan suzanne sylvia szymon tamara tanya tara teresa
thea theo theodore thomas tim timothy tina tobias toby tom tommy tony tracey tracy tyler
usman valerie vanessa vera veronica vicky victoria vikram vincent wendy wiktoria william
willow wojciech xavier yasmin yousef yusuf zach zachary zainab zak zara zoe zofia zuzanna
""".split()
)
