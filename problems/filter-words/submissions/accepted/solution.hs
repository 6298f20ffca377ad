import Data.Char (toLower)

filterWords :: [String] -> Char -> Bool -> [String]
filterWords words' letter ignoreCase = filter starts words'
  where
    starts (c : _) = if ignoreCase then toLower c == toLower letter else c == letter
    starts [] = False
