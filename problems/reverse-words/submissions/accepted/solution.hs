reverseWords :: String -> String
reverseWords = unwords . reverse . words
