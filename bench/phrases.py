"""Sentence templates of the generated records, by section; slots are filled by `clinical.fill`.

The claim behind them: a warehouse worker hurt her low back and right shoulder lifting totes;
her records hold occupational medicine and physiatry visits, therapy, imaging, an emergency
visit, a shoulder arthroscopy and bills. Plans mix orders, citations, negations and hedges
("will consider EMG if symptoms persist"), as the gap audit has to read them.
"""

from __future__ import annotations

HISTORY = (
    "She rates the {part} pain {pain}/10 today, {trend} compared with the visit of {past}.",
    "Pain is worse with {activity} and eased by {relief}; sleep is interrupted {n} times a night.",
    "She has completed {visits} of {auth} authorized physical therapy visits and feels therapy is helping with {activity}.",
    "Numbness of the {side} {dermatome} comes and goes, about {n} days a week, mostly after {activity}.",
    "She returned to {duty} on {past} and has tolerated {hours}-hour shifts with breaks.",
    "She is taking {dose} and reports mild stomach upset on some days.",
    "Since {past} she notes catching in the right shoulder when reaching overhead, rated {pain2}/10.",
    "She denies bowel or bladder changes, saddle numbness, fever or weight loss since {past}.",
    "She spoke with {employer} on {past2} about the restrictions; no light duty was offered until {past}.",
    "The home exercise program is done {n} days a week for about {minutes} minutes.",
    "Sitting tolerance is about {minutes} minutes and walking tolerance about {n} blocks.",
    "She stopped {dose} on {past} because of drowsiness and now uses {dose2}.",
    "Night pain in the right shoulder wakes her when she lies on that side, {n} nights a week.",
    "She reports the pain spreads into the {side} buttock and posterior thigh after {activity}.",
    "She was seen in urgent care on {past} for a flare after {activity}; no new imaging was done.",
    "The Oswestry disability index today is {odi}%, compared with {pct}% at intake.",
    "She describes the shoulder as weak when lifting {weight} lb to a shelf at shoulder height.",
    "She has missed {n} shifts since {past} because of the back pain.",
    "She drives herself to visits and can manage a {minutes}-minute commute with one stop.",
    "She reports the injection of {past} gave about {pct}% relief for {n} weeks.",
)

EXAM = (
    "BP {bp}, HR {hr}, weight {wt} lb, BMI {bmi}.",
    "Lumbar flexion {flex} degrees and extension {ext} degrees, with pain at end range.",
    "Straight-leg raise is positive on the {side} at {slr} degrees and negative on the other side.",
    "Strength is {grade}/5 in the {side} {muscle}, otherwise 5/5 in both lower extremities.",
    "Patellar reflexes {reflex} and Achilles reflexes {reflex} and symmetric.",
    "Tenderness over the {side} lumbar paraspinals from {level2} to {level} with muscle guarding.",
    "Right shoulder elevation {elev} degrees, abduction {abd} degrees, external rotation {er} degrees, internal rotation {ir} degrees.",
    "Hawkins and Neer signs are positive on the right with pain {pain}/10; drop-arm test negative.",
    "Jobe empty-can test produces pain and {grade}/5 weakness on the right.",
    "Sensation is reduced to light touch over the {side} {dermatome}, otherwise intact.",
    "Gait is antalgic on the {side}; she can heel and toe walk with effort.",
    "The surgical portals are healed without erythema; the sling was discontinued on {past}.",
    "Grip strength measured {kg} kg on the right and {kg} kg on the left.",
    "FABER and FADIR are negative on both sides; sacroiliac compression is mildly painful on the {side}.",
    "Slump test reproduces the {side} leg symptoms at {slr} degrees of knee extension.",
    "Cervical rotation {flex} degrees to each side; Spurling test negative on both sides.",
    "Lift test: {lb} lb from floor to waist with good mechanics and mild pain at the end.",
    "Seated straight-leg raise is negative, inconsistent with the supine test at {slr} degrees.",
)

ASSESSMENT = (
    "Lumbar strain with {side} {croot} radicular symptoms, {trend} (S39.012A, M54.16).",
    "Right rotator cuff tear, traumatic, work-related (S46.011A); {trend}.",
    "Right shoulder impingement with {cuff}.",
    "Lumbar disc displacement at {level} with radiculopathy (M51.16).",
    "Myofascial pain of the lumbar paraspinals, {trend}.",
    "Status post right shoulder arthroscopy of {past}, recovering as expected.",
    "Deconditioning after {weeks} weeks off work.",
    "The mechanism of lifting totes at work is consistent with the injuries; the work is the prevailing factor.",
)

PLAN = (
    "Will consider EMG/NCS of the {side} lower extremity if radicular symptoms persist beyond {weeks} weeks.",
    "MRI of the lumbar spine without contrast is ordered to evaluate for a herniated disc at {level}.",
    "Refer to {specialist} for evaluation of treatment options; appointment requested for {future}.",
    "No further imaging of the {part} is indicated at this time.",
    "Continue physical therapy {n} times a week for {weeks} weeks, with emphasis on core stabilization and {exercise}.",
    "Surgery is not recommended at this point; she would rather avoid an operation before {future}.",
    "A functional capacity evaluation may be appropriate if she plateaus after {visits} more visits.",
    "Return to clinic in {weeks} weeks, on or about {future}.",
    "Work status: {duty}, no lifting over {lb} lb, no overhead reaching with the right arm.",
    "Continue {dose}; avoid driving after the evening dose.",
    "She declined {injection} for now and will think about it.",
    "Right shoulder x-rays, three views, were reviewed from {past}: no fracture or dislocation.",
    "We discussed {injection} versus continued conservative care; she prefers to continue therapy.",
    "If she fails to improve in {weeks} weeks after the visit of {past}, a referral to a spine surgeon would be the next step.",
    "The MRI of {past} was reviewed with her and a copy given to her.",
    "Home exercise program reviewed; she is to progress the {exercise} as tolerated.",
    "Follow up with Dr. Valdez-Moreau on {future} to discuss arthroscopic repair.",
    "Labs are not needed; she reports no red flags since the visit of {past}.",
    "Prescription for {dose} sent to her pharmacy, #{visits} with no refills.",
    "Off work until {future}, then reassess; note given.",
    "Consider medial branch blocks if the facet pain continues after {weeks} weeks of therapy.",
    "She will call if the {side} leg numbness spreads or weakness develops before {future}.",
)

THERAPY_S = (
    "Patient reports {part} pain {pain}/10 on arrival, {trend} since the last visit on {past}.",
    "She did the home program {n} days this week and had a flare after {activity}.",
    "Reports sleeping better, waking {n} times a night instead of {n2}.",
    "She notes less tingling in the {side} {dermatome}.",
    "Worked {hours} hours of {duty} yesterday and was sore afterward.",
    "No new complaints since {past}; she is motivated to return to full duty.",
    "Reports difficulty reaching a top shelf with the right arm, {pain}/10 at worst.",
    "She saw Dr. Achebe-Lindqvist on {past}, who kept her on {duty}.",
    "She used ice {n} times a day after the last session and took {dose}.",
)

THERAPY_O = (
    "Lumbar flexion {flex} degrees, extension {ext} degrees; right shoulder elevation {elev} degrees, ER {er} degrees.",
    "Palpation: guarding of the {side} lumbar paraspinals, reduced after manual therapy.",
    "Single-leg stance {minutes} seconds on the right and {n} seconds on the left.",
    "Prone instability test positive; core endurance plank {minutes} seconds.",
    "Shoulder strength flexion {grade}/5, ER {grade}/5, IR 5/5 on the right.",
    "Oswestry {odi}%; QuickDASH score {pct}.",
    "Lifted {lb} lb floor to waist {n} times with cues for hip hinge.",
    "Pulley flexion to {elev} degrees; pain {pain}/10 at end range.",
    "Treadmill {minutes} minutes at {n}.{n2} mph with no increase in leg symptoms.",
)

THERAPY_A = (
    "Tolerated the session well with pain {pain}/10 at the end; progressing toward goal {n}.",
    "Improving mobility; strength remains the limiting factor for lifting above {lb} lb.",
    "Slow progress this week, related to {hours}-hour shifts; no red flags.",
    "Goal 2 (lift {lb} lb floor to waist) partially met; goal 3 not yet met.",
)

THERAPY_P = (
    "Continue plan of care {n} times a week; progress {exercise} to {sets}x{reps} as tolerated.",
    "Re-evaluation due on {future}; will update goal {n} (lift {lb} lb).",
    "Will add work simulation next visit if pain stays under {pain}/10.",
    "Discuss with the physician at the {future} visit whether a functional capacity evaluation is needed before discharge.",
    "Next visit {future} at {clock}.",
)

IMAGING_FINDINGS = (
    "At {level} there is {finding} with {canal}.",
    "At {level2} there is {finding}; the traversing {croot} nerve root is not compressed.",
    "The conus ends at {conus} and is normal in signal.",
    "Vertebral body heights are preserved; no marrow edema on STIR at {level2}.",
    "The rotator cuff shows {cuff}, with {retraction} mm of medial retraction.",
    "Mild acromioclavicular joint arthrosis with a type {n} acromion.",
    "The biceps tendon is in the groove; the labrum shows fraying from the {clockface} o'clock position without a discrete tear.",
    "Small joint effusion; no fracture or bone contusion.",
    "Facet joints show mild hypertrophy at {level} without effusion.",
    "Paraspinal muscles are normal in bulk and signal from {level2} to {level}.",
    "Disc height is reduced by about {pct}% at {level} with Modic type {n} endplate change.",
    "The {side} neural foramen at {level} is narrowed to {mm} mm by {finding}.",
    "Alignment is normal; {mm} mm of retrolisthesis of L5 on S1 without instability.",
    "The supraspinatus muscle shows Goutallier grade {n} fatty infiltration.",
    "The subscapularis is intact; {mm} mm of fluid in the subacromial bursa.",
    "The acromiohumeral interval measures {mm} mm on the true AP view.",
    "The sacroiliac joints are normal; visualized kidneys measure {visits} cm.",
    "No spondylolysis; the pars are intact from {level2} to {level}.",
    "Cartilage of the glenoid is thinned by about {pct}% centrally.",
    "Compared with {past}, the {finding} at {level} is unchanged.",
)

ED_COURSE = (
    "Medication given: {dose}, first dose at {clock}, with modest relief.",
    "Lumbar radiographs, two views, ordered: no acute fracture, mild degenerative change at {level}.",
    "Pain {pain}/10 on arrival, {pain2}/10 after treatment and ice.",
    "No CT is indicated; no red flags, neurologically intact, pain {pain}/10 at rest.",
    "Ambulated {n}0 feet in the department with a steady gait before discharge at {clock}.",
    "Right shoulder x-rays, three views, read at {clock}: no fracture or dislocation.",
    "She was given ketorolac 15 mg IM and cyclobenzaprine {n} mg by mouth.",
)

OPERATIVE = (
    "The patient was brought to the operating room at {clock} and placed in the beach-chair position after an interscalene block.",
    "The right shoulder was prepped and draped in sterile fashion and a time-out was performed at {clock}.",
    "Diagnostic arthroscopy showed {cuff} and fraying of the anterior labrum.",
    "The tear measured {retraction} mm from anterior to posterior and was mobile.",
    "A subacromial decompression was performed, removing about {mm} mm of the anterior acromion.",
    "Two double-loaded anchors were placed in a double-row construct with {n} sutures.",
    "The biceps tendon was intact, with {pct}% of its width healthy, and was left alone.",
    "{n} portals were closed with nylon sutures and a sterile dressing and sling were applied.",
    "Estimated blood loss {n}0 mL; no complications.",
    "She tolerated the procedure and was transferred to the recovery room at {clock} in stable condition.",
)
